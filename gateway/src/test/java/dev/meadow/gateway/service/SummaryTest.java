package dev.meadow.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A batch's summary is its first prompt, cut for lists: never in the middle of a character. */
class SummaryTest {

    private static boolean hasLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)
                    && (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1)))) {
                return true;
            }
            if (Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void anEmojiAtTheCutIsKeptWholeOrLeftOutNeverHalved() {
        String cow = "\uD83D\uDC04";
        String prompt = "a".repeat(116) + cow + " grazing under a blue sky with many more words after it";
        String summary = SubmissionService.abbreviate(prompt);
        assertThat(hasLoneSurrogate(summary)).as(summary).isFalse();
        assertThat(summary).isEqualTo("a".repeat(116) + cow + "...");
        assertThat(summary.codePointCount(0, summary.length())).isEqualTo(120);
    }

    @Test
    void shortPromptsAndPromptsOfExactly120CharactersAreKept() {
        assertThat(SubmissionService.abbreviate("a cow")).isEqualTo("a cow");
        String exactly = "\uD83D\uDC11".repeat(120);
        assertThat(SubmissionService.abbreviate(exactly)).isEqualTo(exactly);
    }
}
