package dev.meadow.eval;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.meadow.synth.Scene;

/**
 * A scene attribute that Pastoral-Synth knows for every picture and that the evaluation checks generated images for.
 * Colours are read by the colour detectors ({@link AttributeDetectors}), objects by the scene judge (a CNN, {@link
 * SceneJudging}).
 */
public enum Attribute {
    SKY("sky", Reader.COLOURS, List.of("blue", "grey", "sunset", "night", "none")),
    GROUND("ground", Reader.COLOURS, List.of("grass", "snow", "field", "soil")),
    SNOW("snow", Reader.COLOURS, List.of("false", "true")),
    ANIMALS("animals", Reader.SCENE_JUDGE, List.of("false", "true")),
    /** Where the scene has animals of one kind only. */
    ANIMAL_KIND("animalKind", Reader.SCENE_JUDGE, List.of("cow", "sheep", "horse", "alpaca")),
    /** All the scene's animals together, where it has any. */
    ANIMAL_COUNT("animalCount", Reader.SCENE_JUDGE, List.of("1", "2-3", "4+")),
    BARN("barn", Reader.SCENE_JUDGE, List.of("false", "true")),
    MOUNTAINS("mountains", Reader.SCENE_JUDGE, List.of("false", "true")),
    TREES("trees", Reader.SCENE_JUDGE, List.of("false", "true")),
    LAKE("lake", Reader.SCENE_JUDGE, List.of("false", "true")),
    SUN_OR_MOON("sunOrMoon", Reader.SCENE_JUDGE, List.of("false", "true")),
    CLOSE_UP("closeUp", Reader.SCENE_JUDGE, List.of("false", "true"));

    /** What reads an attribute from a picture. */
    public enum Reader {
        /** Colour statistics over image regions, trained at each evaluation. */
        COLOURS,
        /** The scene judge CNN, trained once and shipped as a model. */
        SCENE_JUDGE
    }

    private final String key;
    private final Reader reader;
    private final List<String> labels;

    Attribute(String key, Reader reader, List<String> labels) {
        this.key = key;
        this.reader = reader;
        this.labels = labels;
    }

    /** The name in reports, in evaluation prompt files and in the scene judge's heads. */
    public String key() {
        return key;
    }

    public Reader reader() {
        return reader;
    }

    public List<String> labels() {
        return labels;
    }

    public static List<Attribute> readBy(Reader reader) {
        return java.util.Arrays.stream(values()).filter(a -> a.reader == reader).toList();
    }

    /** The scene's value, or null where the attribute does not apply to it (the kind of a mixed herd). */
    public String of(Scene scene) {
        return switch (this) {
            case SKY -> scene.sky().name().toLowerCase(Locale.ROOT);
            case GROUND -> scene.ground().name().toLowerCase(Locale.ROOT);
            case SNOW -> Boolean.toString(scene.snowPresent());
            case ANIMALS -> Boolean.toString(scene.animalsPresent());
            case ANIMAL_KIND ->
                kinds(scene.animals().stream()
                        .map(g -> g.animal().name().toLowerCase(Locale.ROOT))
                        .distinct()
                        .toList());
            case ANIMAL_COUNT ->
                countLabel(scene.animals().stream()
                        .mapToInt(Scene.AnimalGroup::count)
                        .sum());
            case BARN -> Boolean.toString(scene.barn());
            case MOUNTAINS -> Boolean.toString(scene.mountains() != Scene.Mountains.NONE);
            case TREES -> Boolean.toString(scene.trees() != Scene.Trees.NONE);
            case LAKE -> Boolean.toString(scene.lake());
            case SUN_OR_MOON -> Boolean.toString(scene.sun() || scene.moon());
            case CLOSE_UP -> Boolean.toString(scene.closeUp());
        };
    }

    /**
     * The value in manifest-style attributes (a Pastoral-Synth manifest's, or an evaluation prompt file's), or null
     * when they do not say (or say something unknown). A manifest names mountains and trees by kind, and lists animal
     * groups; what the judge reads is derived from those.
     */
    public String of(Map<String, ?> attributes) {
        if (attributes == null) {
            return null;
        }
        Object value = attributes.get(key);
        if (value == null) {
            value = switch (this) {
                case ANIMAL_KIND ->
                    groups(attributes) == null
                            ? null
                            : kinds(groups(attributes).stream()
                                    .map(g -> String.valueOf(g.get("animal")))
                                    .distinct()
                                    .toList());
                case ANIMAL_COUNT ->
                    groups(attributes) == null
                            ? null
                            : countLabel(groups(attributes).stream()
                                    .mapToInt(g -> g.get("count") instanceof Number n ? n.intValue() : 0)
                                    .sum());
                case SUN_OR_MOON ->
                    attributes.get("sun") == null || attributes.get("moon") == null
                            ? null
                            : Boolean.toString(Boolean.parseBoolean(String.valueOf(attributes.get("sun")))
                                    || Boolean.parseBoolean(String.valueOf(attributes.get("moon"))));
                default -> null;
            };
            if (value == null) {
                return null;
            }
        }
        String text = value.toString().toLowerCase(Locale.ROOT);
        if (this == MOUNTAINS || this == TREES) {
            // A manifest names the kind ("grey", "few"); the judge reads presence.
            text = switch (text) {
                case "none" -> "false";
                case "grey", "maroon", "snow_capped", "few", "forest" -> "true";
                default -> text;
            };
        }
        return labels.contains(text) ? text : null;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, ?>> groups(Map<String, ?> attributes) {
        return attributes.get("animalGroups") instanceof List<?> list ? (List<Map<String, ?>>) list : null;
    }

    /** The one kind of a herd, or null for none or several. */
    private static String kinds(List<String> kinds) {
        return kinds.size() == 1 ? kinds.get(0) : null;
    }

    /** Null where there are no animals to count. */
    private static String countLabel(int count) {
        return count <= 0 ? null : count == 1 ? "1" : count <= 3 ? "2-3" : "4+";
    }
}
