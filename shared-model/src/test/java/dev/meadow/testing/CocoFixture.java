package dev.meadow.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

import dev.meadow.contracts.Json;

/**
 * A small data set in the official COCO captions format, made by the tests themselves, so that the paths that read
 * COCO are covered on a fresh clone (the real COCO sample in {@code ../shared} covers them too where it exists).
 * Pastoral and city scenes alternate, so keyword filters keep about half; one image is listed but its file is
 * missing, one caption holds an apostrophe.
 */
public final class CocoFixture {

    public static final List<String> PASTORAL = List.of(
            "two brown cows grazing on green grass under a blue sky",
            "a white sheep standing in the snow near a hill",
            "horses in a field with mountains behind them",
            "there's a cow on the farmer's field");
    public static final List<String> CITY = List.of(
            "a red bus driving down a busy city street",
            "a man riding a bicycle past shops",
            "a plate of pasta on a wooden table",
            "people waiting at a train station");

    /** Where the fixture was written: the images folder, the annotations file and the file that is missing. */
    public record Written(Path images, Path annotations, String missingFile, int pastoralImages) {}

    private CocoFixture() {}

    /** Writes {@code count} JPEG images and their captions under {@code dir}. */
    public static Written write(Path dir, int count) {
        try {
            Path images = Files.createDirectories(dir.resolve("images"));
            Path annotations =
                    Files.createDirectories(dir.resolve("annotations")).resolve("captions.json");
            Random random = new Random(7);
            List<Map<String, Object>> imageList = new ArrayList<>();
            List<Map<String, Object>> annotationList = new ArrayList<>();
            String missing = null;
            int pastoral = 0;
            for (int i = 1; i <= count; i++) {
                String fileName = String.format("%012d.jpg", i);
                boolean isPastoral = i % 2 == 1;
                Map<String, Object> image = new LinkedHashMap<>();
                image.put("id", i);
                image.put("file_name", fileName);
                image.put("width", 64);
                image.put("height", 48);
                image.put("license", 1);
                imageList.add(image);
                List<String> pool = isPastoral ? PASTORAL : CITY;
                for (int c = 0; c < 2; c++) {
                    Map<String, Object> annotation = new LinkedHashMap<>();
                    annotation.put("id", i * 10 + c);
                    annotation.put("image_id", i);
                    annotation.put("caption", pool.get((i + c) % pool.size()));
                    annotationList.add(annotation);
                }
                if (i == count) {
                    missing = fileName;
                    continue;
                }
                if (isPastoral) {
                    pastoral++;
                }
                Files.write(images.resolve(fileName), jpeg(random, isPastoral));
            }
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("info", Map.of("description", "Meadow test fixture", "year", 2026));
            root.put(
                    "licenses",
                    List.of(Map.of(
                            "id", 1, "name", "CC BY 4.0", "url", "https://creativecommons.org/licenses/by/4.0/")));
            root.put("images", imageList);
            root.put("annotations", annotationList);
            Files.write(annotations, Json.mapper().writeValueAsBytes(root));
            return new Written(images, annotations, missing, pastoral);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One small JPEG: sky over grass for pastoral scenes, grey blocks for the city. */
    public static byte[] jpeg(Random random, boolean pastoral) {
        BufferedImage picture = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = picture.createGraphics();
        g.setColor(pastoral ? new Color(90, 150, 220) : new Color(120, 120, 125));
        g.fillRect(0, 0, 64, 24);
        g.setColor(pastoral ? new Color(70, 150 + random.nextInt(60), 60) : new Color(60, 60, 70));
        g.fillRect(0, 24, 64, 24);
        g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
        g.fillOval(random.nextInt(40), 20 + random.nextInt(10), 16, 10);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(picture, "jpg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
