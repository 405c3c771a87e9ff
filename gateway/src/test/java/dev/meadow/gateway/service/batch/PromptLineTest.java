package dev.meadow.gateway.service.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meadow.gateway.service.errors.InvalidRequestException;
import org.junit.jupiter.api.Test;

class PromptLineTest {

    @Test
    void aLineThatDoesNotStartWithAnOptionIsThePromptVerbatim() {
        assertThat(PromptLine.parse("there's a cow on the farmer's field", "line 1")
                        .prompt())
                .isEqualTo("there's a cow on the farmer's field");
        assertThat(PromptLine.parse("There's a cow that has a Television on its side", "line 1")
                        .prompt())
                .isEqualTo("There's a cow that has a Television on its side");
        assertThat(PromptLine.parse("a \"quoted\" sheep,  two   spaces", "line 1")
                        .prompt())
                .isEqualTo("a \"quoted\" sheep,  two   spaces");
        assertThat(PromptLine.parse("a cow -- then seed 5", "line 1").prompt()).isEqualTo("a cow -- then seed 5");
    }

    @Test
    void noPriorIsAFlagThatTakesNoValue() {
        BatchItem item = PromptLine.parse("--no-prior --seed 3 two brown cows", "line 1");
        assertThat(item.prior()).isFalse();
        assertThat(item.seed()).isEqualTo(3L);
        assertThat(item.prompt()).isEqualTo("two brown cows");
        assertThat(PromptLine.parse("--seed 3 --no-prior two brown cows", "line 2")
                        .prior())
                .isFalse();
        assertThat(PromptLine.parse("two brown cows", "line 3").prior()).isNull();
        // Meant as the flag, after the words it would be drawn as words.
        assertThatThrownBy(() -> PromptLine.parse("two brown cows --no-prior", "line 4"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("--no-prior comes after the prompt's words");
    }

    @Test
    void optionsAndQuotedPromptsStillParse() {
        BatchItem item = PromptLine.parse("--seed 42 --count 3 a white sheep in the farmer's snow", "line 2");
        assertThat(item.prompt()).isEqualTo("a white sheep in the farmer's snow");
        assertThat(item.seed()).isEqualTo(42L);
        assertThat(item.count()).isEqualTo(3);

        BatchItem quoted = PromptLine.parse("--prompt \"three black horses, at night\" --seed 7", "line 3");
        assertThat(quoted.prompt()).isEqualTo("three black horses, at night");
        assertThat(quoted.seed()).isEqualTo(7L);

        assertThat(PromptLine.parse("--prompt 'the farmer\"s cow' --model m-1", "line 4")
                        .prompt())
                .isEqualTo("the farmer\"s cow");
        assertThat(PromptLine.parse("--seed 1 \"a cow, quoted\"", "line 5").prompt())
                .isEqualTo("a cow, quoted");
        assertThat(PromptLine.parse("--candidates 4 --model m-2 cows", "line 6").candidates())
                .isEqualTo(4);
    }

    @Test
    void anOptionAfterThePromptsWordsIsRefusedRatherThanDrawn() {
        assertThatThrownBy(() -> PromptLine.parse("a cow in the snow --seed 7 --count 3", "line 4"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("line 4: --seed comes after the prompt's words");
        assertThatThrownBy(() -> PromptLine.parse("--count 2 sheep --model=small-64", "line 5"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("line 5: --model comes after the prompt's words");
        // Words that only look like options, and options given as quoted text, are prompts.
        assertThat(PromptLine.parse("a cow -- seed of doubt --seedling", "line 6")
                        .prompt())
                .isEqualTo("a cow -- seed of doubt --seedling");
        assertThat(PromptLine.parse("--prompt \"a cow --seed 7\"", "line 7").prompt())
                .isEqualTo("a cow --seed 7");
        assertThat(PromptLine.parse("--count 2 \"a cow --seed 7\"", "line 8").prompt())
                .isEqualTo("a cow --seed 7");
    }

    @Test
    void optionValuesStillNeedClosedQuotes() {
        assertThatThrownBy(() -> PromptLine.parse("--prompt \"a cow", "line 9"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("line 9: a quote is not closed");
        assertThatThrownBy(() -> PromptLine.parse("--seed", "line 9"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("line 9: option --seed needs a value");
    }

    @Test
    void countsOutOfTheIntRangeStayOutOfRangeBothWays() {
        assertThat(PromptLine.parse("--count -4294967295 cows", "line 1").count())
                .isEqualTo(Integer.MIN_VALUE);
        assertThat(PromptLine.parse("--count 4294967297 cows", "line 1").count())
                .isEqualTo(Integer.MAX_VALUE);
        assertThat(PromptLine.parse("--candidates -4294967295 cows", "line 1").candidates())
                .isEqualTo(Integer.MIN_VALUE);
        assertThat(PromptLine.parse("--count -3 cows", "line 1").count()).isEqualTo(-3);
    }
}
