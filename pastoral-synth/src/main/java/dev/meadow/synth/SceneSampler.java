package dev.meadow.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.meadow.synth.Scene.Animal;
import dev.meadow.synth.Scene.AnimalGroup;
import dev.meadow.synth.Scene.Colour;
import dev.meadow.synth.Scene.Ground;
import dev.meadow.synth.Scene.Mountains;
import dev.meadow.synth.Scene.Sky;
import dev.meadow.synth.Scene.Trees;

/** Draws random but plausible pastoral scenes: the same seed always gives the same scene. */
public final class SceneSampler {

    private SceneSampler() {}

    public static Scene sample(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        boolean closeUp = r.nextDouble() < 0.10;
        Ground ground = pick(r, new Ground[] {Ground.GRASS, Ground.SNOW, Ground.FIELD, Ground.SOIL}, new double[] {
            0.44, 0.20, 0.18, 0.18
        });
        List<AnimalGroup> animals = new ArrayList<>();
        if (closeUp) {
            if (r.nextDouble() < 0.8) {
                Animal animal = Animal.values()[r.nextInt(Animal.values().length)];
                animals.add(new AnimalGroup(animal, colourFor(animal, r), 1, 0.3 + 0.4 * r.nextDouble(), 1.0));
            }
            return new Scene(
                    seed,
                    Sky.NONE,
                    false,
                    false,
                    0,
                    Mountains.NONE,
                    false,
                    ground,
                    false,
                    Trees.NONE,
                    false,
                    false,
                    animals,
                    true,
                    0.0);
        }
        Sky sky = pick(r, new Sky[] {Sky.BLUE, Sky.GREY, Sky.SUNSET, Sky.NIGHT}, new double[] {0.40, 0.22, 0.19, 0.19});
        boolean sun = (sky == Sky.BLUE && r.nextDouble() < 0.6) || sky == Sky.SUNSET;
        boolean moon = sky == Sky.NIGHT && r.nextDouble() < 0.85;
        int clouds = switch (sky) {
            case BLUE -> r.nextInt(4);
            case GREY -> 3 + r.nextInt(4);
            case SUNSET -> r.nextInt(3);
            default -> r.nextInt(2);
        };
        Mountains mountains;
        double m = r.nextDouble();
        if (ground == Ground.SNOW) {
            mountains = m < 0.55 ? Mountains.SNOW_CAPPED : m < 0.7 ? Mountains.GREY : Mountains.NONE;
        } else {
            mountains = m < 0.45
                    ? Mountains.NONE
                    : m < 0.65 ? Mountains.GREY : m < 0.8 ? Mountains.MAROON : Mountains.SNOW_CAPPED;
        }
        boolean hills = r.nextDouble() < 0.35;
        boolean lake = r.nextDouble() < 0.2;
        double t = r.nextDouble();
        Trees trees = t < 0.55 ? Trees.NONE : t < 0.8 ? Trees.FEW : Trees.FOREST;
        boolean fence = r.nextDouble() < 0.25;
        boolean barn = r.nextDouble() < 0.18;
        double horizon = 0.42 + 0.16 * r.nextDouble();

        double a = r.nextDouble();
        int groups = a < 0.3 ? 0 : a < 0.82 ? 1 : 2;
        List<Animal> used = new ArrayList<>();
        for (int i = 0; i < groups; i++) {
            Animal animal = Animal.values()[r.nextInt(Animal.values().length)];
            if (used.contains(animal)) {
                continue;
            }
            used.add(animal);
            int max = animal == Animal.SHEEP ? 5 : 4;
            int count = 1 + r.nextInt(max);
            double x = groups == 1
                    ? 0.2 + 0.6 * r.nextDouble()
                    : (i == 0 ? 0.1 + 0.3 * r.nextDouble() : 0.6 + 0.3 * r.nextDouble());
            animals.add(new AnimalGroup(animal, colourFor(animal, r), count, x, 0.3 + 0.7 * r.nextDouble()));
        }
        return new Scene(
                seed,
                sky,
                sun,
                moon,
                clouds,
                mountains,
                hills,
                ground,
                lake,
                trees,
                fence,
                barn,
                List.copyOf(animals),
                false,
                horizon);
    }

    /**
     * Another picture of the same scene description: the same sky, sun and moon, ground, mountains, hills, lake,
     * trees, fence, barn and animals (kind, colour and count), with the layout drawn afresh from {@code seed}: the
     * horizon, the clouds, where each group stands, and the renderer's own randomness (shapes, texture). What a
     * decoder's seeds should vary for one prompt, as Pastoral-Synth would.
     */
    public static Scene variation(Scene scene, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<AnimalGroup> animals = new ArrayList<>();
        int groups = scene.animals().size();
        for (int i = 0; i < groups; i++) {
            AnimalGroup group = scene.animals().get(i);
            double x = scene.closeUp()
                    ? 0.3 + 0.4 * r.nextDouble()
                    : groups == 1
                            ? 0.2 + 0.6 * r.nextDouble()
                            : (i == 0 ? 0.1 + 0.3 * r.nextDouble() : 0.6 + 0.3 * r.nextDouble());
            double depth = scene.closeUp() ? 1.0 : 0.3 + 0.7 * r.nextDouble();
            animals.add(new AnimalGroup(group.animal(), group.colour(), group.count(), x, depth));
        }
        int clouds = switch (scene.sky()) {
            case BLUE -> r.nextInt(4);
            case GREY -> 3 + r.nextInt(4);
            case SUNSET -> r.nextInt(3);
            case NIGHT -> r.nextInt(2);
            case NONE -> 0;
        };
        return new Scene(
                seed,
                scene.sky(),
                scene.sun(),
                scene.moon(),
                clouds,
                scene.mountains(),
                scene.hills(),
                scene.ground(),
                scene.lake(),
                scene.trees(),
                scene.fence(),
                scene.barn(),
                List.copyOf(animals),
                scene.closeUp(),
                scene.closeUp() ? 0.0 : 0.42 + 0.16 * r.nextDouble());
    }

    /**
     * The same scene with every animal group of another kind (each group a kind no other group has, in a colour
     * that kind comes in), everything else as it was, the renderer's randomness included: a twin that only the
     * animals' kind tells apart. A scene without animals is returned as it is.
     */
    public static Scene otherKinds(Scene scene, long seed) {
        if (scene.animals().isEmpty()) {
            return scene;
        }
        SplittableRandom r = new SplittableRandom(seed);
        List<Animal> taken = new ArrayList<>();
        for (AnimalGroup group : scene.animals()) {
            taken.add(group.animal());
        }
        List<AnimalGroup> animals = new ArrayList<>();
        for (AnimalGroup group : scene.animals()) {
            List<Animal> free = new ArrayList<>();
            for (Animal animal : Animal.values()) {
                if (!taken.contains(animal)) {
                    free.add(animal);
                }
            }
            Animal other = free.get(r.nextInt(free.size()));
            taken.add(other);
            int count = Math.min(group.count(), other == Animal.SHEEP ? 5 : 4);
            animals.add(new AnimalGroup(other, colourFor(other, r), count, group.x(), group.depth()));
        }
        return scene.withAnimals(List.copyOf(animals));
    }

    private static Colour colourFor(Animal animal, SplittableRandom r) {
        Colour[] options = switch (animal) {
            case COW -> new Colour[] {Colour.BROWN, Colour.BLACK_AND_WHITE, Colour.BLACK};
            case SHEEP -> new Colour[] {Colour.WHITE, Colour.WHITE, Colour.BLACK};
            case HORSE -> new Colour[] {Colour.BROWN, Colour.BLACK, Colour.WHITE};
            case ALPACA -> new Colour[] {Colour.WHITE, Colour.BROWN, Colour.BLACK};
        };
        return options[r.nextInt(options.length)];
    }

    private static <T> T pick(SplittableRandom r, T[] values, double[] weights) {
        double x = r.nextDouble();
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            sum += weights[i];
            if (x < sum) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }
}
