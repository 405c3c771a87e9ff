package dev.meadow.synth;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

import dev.meadow.synth.Scene.AnimalGroup;
import dev.meadow.synth.Scene.Colour;
import dev.meadow.synth.Scene.Mountains;
import dev.meadow.synth.Scene.Sky;
import dev.meadow.synth.Scene.Trees;

/**
 * Describes scenes the way people caption photos: synonyms, varying word order, and now and then an element left
 * out. The first caption of a scene mentions everything; the others leave things out at random (the paper saw
 * that a prompt without "sky" draws no blue band, so the training data should contain such captions too).
 */
public final class CaptionWriter {

    private CaptionWriter() {}

    /** {@code count} distinct captions, the first one complete. */
    public static List<String> captions(Scene scene, int count) {
        SplittableRandom r = new SplittableRandom(scene.seed() * 31 + 7);
        Set<String> captions = new LinkedHashSet<>();
        captions.add(caption(scene, r, 1.0));
        for (int attempt = 0; captions.size() < count && attempt < count * 10; attempt++) {
            captions.add(caption(scene, r, 0.65));
        }
        return List.copyOf(captions);
    }

    private static String caption(Scene s, SplittableRandom r, double keep) {
        String subject = subject(s, r);
        List<String> phrases = new ArrayList<>();
        phrases.add(ground(s, r));
        if (s.sky() != Sky.NONE) {
            phrases.add(sky(s.sky(), r));
        }
        if (s.mountains() != Mountains.NONE) {
            phrases.add(mountains(s.mountains(), r));
        }
        if (s.hills()) {
            phrases.add(pick(r, "with rolling hills", "among hills", "with hills behind"));
        }
        if (s.lake()) {
            phrases.add(pick(r, "by a lake", "next to a lake", "beside a small lake"));
        }
        if (s.trees() == Trees.FOREST) {
            phrases.add(pick(r, "next to a forest", "by a pine forest", "at the edge of a forest"));
        } else if (s.trees() == Trees.FEW) {
            phrases.add(pick(r, "with a few trees", "with some trees", "near a few pine trees"));
        }
        if (s.barn()) {
            phrases.add(pick(r, "near a red barn", "with a red barn", "by a red farm barn"));
        }
        if (s.fence()) {
            phrases.add(pick(r, "behind a wooden fence", "with a wooden fence", "by a fence"));
        }
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < phrases.size(); i++) {
            // The ground phrase goes with the subject; the rest can be dropped.
            if (i == 0 || keep >= 1.0 || r.nextDouble() < keep) {
                kept.add(phrases.get(i));
            }
        }
        for (int i = kept.size() - 1; i > 1; i--) {
            int j = 1 + r.nextInt(i);
            String t = kept.get(i);
            kept.set(i, kept.get(j));
            kept.set(j, t);
        }
        String text;
        if (kept.size() > 1 && r.nextDouble() < 0.25) {
            // Sometimes the setting comes first: "under a blue sky, two cows on green grass".
            String lead = kept.remove(kept.size() - 1);
            text = lead + ", " + subject + " " + String.join(" ", kept);
        } else {
            text = subject + " " + String.join(" ", kept);
        }
        return text.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
    }

    private static String subject(Scene s, SplittableRandom r) {
        if (s.animals().isEmpty()) {
            if (s.closeUp()) {
                return pick(r, "a close-up of the ground", "close-up of the ground", "a close view of the ground");
            }
            return pick(r, "a landscape", "a pastoral landscape", "a rural scene", "a countryside view");
        }
        List<String> groups = new ArrayList<>();
        for (AnimalGroup group : s.animals()) {
            groups.add(group(group, r));
        }
        String animals = String.join(" and ", groups);
        if (s.closeUp()) {
            return pick(r, "a close-up of ", "close-up of ", "a close view of ") + animals;
        }
        return animals + (r.nextDouble() < 0.35 ? " " + pick(r, "grazing", "standing", "resting") : "");
    }

    private static String group(AnimalGroup group, SplittableRandom r) {
        String count = count(group.count(), r);
        String colour = colour(group.colour(), r);
        String noun = noun(group.animal(), group.count() > 1, r);
        return (count + " " + colour + " " + noun).strip();
    }

    private static String count(int n, SplittableRandom r) {
        return switch (n) {
            case 1 -> pick(r, "a", "one");
            case 2 -> pick(r, "two", "a pair of");
            case 3 -> "three";
            case 4 -> "four";
            default -> pick(r, "five", "a flock of");
        };
    }

    private static String colour(Colour colour, SplittableRandom r) {
        return switch (colour) {
            case WHITE -> "white";
            case BLACK -> "black";
            case BROWN -> "brown";
            case BLACK_AND_WHITE -> pick(r, "black and white", "spotted");
        };
    }

    private static String noun(Scene.Animal animal, boolean plural, SplittableRandom r) {
        return switch (animal) {
            case COW -> plural ? pick(r, "cows", "cattle") : "cow";
            case SHEEP -> "sheep";
            case HORSE -> plural ? "horses" : "horse";
            case ALPACA -> plural ? "alpacas" : "alpaca";
        };
    }

    private static String ground(Scene s, SplittableRandom r) {
        return switch (s.ground()) {
            case GRASS -> pick(r, "on green grass", "in a green meadow", "on a grassy field", "in a green pasture");
            case SNOW -> pick(r, "on snow", "in the snow", "on a snowy field", "on snowy ground");
            case FIELD -> pick(r, "in a golden field", "in a field of wheat", "on a golden wheat field");
            case SOIL -> pick(r, "on brown soil", "on a ploughed field", "on bare brown earth");
        };
    }

    private static String sky(Sky sky, SplittableRandom r) {
        return switch (sky) {
            case BLUE -> pick(r, "under a blue sky", "under a clear blue sky", "with a blue sky");
            case GREY -> pick(r, "under a grey sky", "under an overcast sky", "under a cloudy grey sky");
            case SUNSET -> pick(r, "at sunset", "under an orange sunset sky", "at dusk with an orange sky");
            case NIGHT -> pick(r, "at night", "under a starry night sky", "under a dark night sky");
            case NONE -> "";
        };
    }

    private static String mountains(Mountains m, SplittableRandom r) {
        return switch (m) {
            case GREY -> pick(r, "with grey mountains", "in front of grey mountains", "with rocky grey mountains");
            case MAROON -> pick(r, "with maroon mountains", "with red mountains", "in front of maroon mountains");
            case SNOW_CAPPED ->
                pick(r, "with snow-capped mountains", "with snowy mountain peaks", "in front of snow-capped mountains");
            case NONE -> "";
        };
    }

    /**
     * Whether a caption says what the sky looks like: it names a sky, or it is a close-up, which has none. Captions
     * that leave the sky out say nothing about it, so nothing can be expected of it.
     */
    public static boolean statesSky(String caption) {
        String text = caption.toLowerCase(Locale.ROOT);
        return SKY_WORDS.stream().anyMatch(text::contains);
    }

    /** Whether a caption mentions snow, on the ground or on mountains. */
    public static boolean mentionsSnow(String caption) {
        return caption.toLowerCase(Locale.ROOT).contains("snow");
    }

    // Every phrase of sky(...) and of a close-up subject contains one of these; no other phrase does.
    private static final List<String> SKY_WORDS = List.of("sky", "sunset", "dusk", "night", "close-up", "close view");

    @SafeVarargs
    private static <T> T pick(SplittableRandom r, T... options) {
        return options[r.nextInt(options.length)];
    }
}
