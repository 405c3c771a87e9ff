package dev.meadow.synth;

import java.util.List;

/**
 * Everything a Pastoral-Synth picture shows. The renderer draws it and the caption writer describes it, so the
 * attributes of every image are known exactly.
 *
 * @param horizon height of the horizon as a fraction of the image (0 top, 1 bottom); unused for close-ups
 * @param closeUp a close view of the ground (and an animal) with no sky
 */
public record Scene(
        long seed,
        Sky sky,
        boolean sun,
        boolean moon,
        int clouds,
        Mountains mountains,
        boolean hills,
        Ground ground,
        boolean lake,
        Trees trees,
        boolean fence,
        boolean barn,
        List<AnimalGroup> animals,
        boolean closeUp,
        double horizon) {

    public enum Sky {
        BLUE,
        GREY,
        SUNSET,
        NIGHT,
        NONE
    }

    public enum Mountains {
        NONE,
        GREY,
        MAROON,
        SNOW_CAPPED
    }

    public enum Ground {
        GRASS,
        SNOW,
        FIELD,
        SOIL
    }

    public enum Trees {
        NONE,
        FEW,
        FOREST
    }

    public enum Animal {
        COW,
        SHEEP,
        HORSE,
        ALPACA
    }

    public enum Colour {
        WHITE,
        BLACK,
        BROWN,
        BLACK_AND_WHITE
    }

    /** Where a group stands: across the picture (0 left .. 1 right) and in depth (0 far .. 1 near). */
    public record AnimalGroup(Animal animal, Colour colour, int count, double x, double depth) {}

    /** Snow on the ground or on the mountains. */
    /** This scene with other animals, everything else as it is. */
    public Scene withAnimals(List<AnimalGroup> others) {
        return new Scene(
                seed, sky, sun, moon, clouds, mountains, hills, ground, lake, trees, fence, barn, others, closeUp,
                horizon);
    }

    public boolean snowPresent() {
        return ground == Ground.SNOW || mountains == Mountains.SNOW_CAPPED;
    }

    public boolean animalsPresent() {
        return !animals.isEmpty();
    }
}
