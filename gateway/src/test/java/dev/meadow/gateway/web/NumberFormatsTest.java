package dev.meadow.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NumberFormatsTest {

    @Test
    void largeTotalsAreGroupedByThousandsWhateverTheMachinesLocale() {
        assertThat(NumberFormats.grouped(22_788)).isEqualTo("22,788");
        assertThat(NumberFormats.grouped(1_100_012)).isEqualTo("1,100,012");
        assertThat(NumberFormats.grouped(30)).isEqualTo("30");
    }
}
