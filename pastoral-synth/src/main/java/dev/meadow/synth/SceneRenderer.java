package dev.meadow.synth;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import dev.meadow.synth.Scene.AnimalGroup;
import dev.meadow.synth.Scene.Colour;
import dev.meadow.synth.Scene.Ground;
import dev.meadow.synth.Scene.Mountains;
import dev.meadow.synth.Scene.Sky;
import dev.meadow.synth.Scene.Trees;

/**
 * Draws a {@link Scene} with Java2D. Everything is drawn on a 256-unit square that is scaled to the requested
 * size, and the drawing's own randomness (texture, tree shapes) comes from the scene's seed, so one scene looks the
 * same at every size.
 */
public final class SceneRenderer {

    private static final double U = 256.0;

    private SceneRenderer() {}

    public static BufferedImage render(Scene scene, int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.scale(size / U, size / U);
            SplittableRandom r = new SplittableRandom(scene.seed() ^ 0x5DEECE66DL);
            if (scene.closeUp()) {
                drawCloseUp(g, scene, r);
            } else {
                drawLandscape(g, scene, r);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void drawLandscape(Graphics2D g, Scene s, SplittableRandom r) {
        double horizon = s.horizon() * U;
        Light light = Light.of(s.sky());
        drawSky(g, s, horizon, r);
        if (s.mountains() != Mountains.NONE) {
            drawMountains(g, s.mountains(), horizon, light, r);
        }
        if (s.hills()) {
            drawHills(g, s.ground(), horizon, light, r);
        }
        drawGround(g, s.ground(), horizon, U, light, r);
        if (s.lake()) {
            drawLake(g, s.sky(), horizon, light, r);
        }
        if (s.trees() != Trees.NONE) {
            drawTrees(g, s.trees(), s.ground(), horizon, light, r);
        }
        if (s.barn()) {
            drawBarn(g, horizon, light, r);
        }
        List<AnimalGroup> byDepth = new ArrayList<>(s.animals());
        byDepth.sort(Comparator.comparingDouble(AnimalGroup::depth));
        for (AnimalGroup group : byDepth) {
            drawGroup(g, group, horizon, light, r);
        }
        if (s.fence()) {
            drawFence(g, horizon, light);
        }
    }

    private static void drawCloseUp(Graphics2D g, Scene s, SplittableRandom r) {
        Light light = Light.of(Sky.BLUE);
        drawGround(g, s.ground(), 0, U, light, r);
        for (AnimalGroup group : s.animals()) {
            double scale = 3.2;
            drawAnimal(g, group.animal(), group.colour(), group.x() * U, U * 0.78, scale, r.nextBoolean(), light);
        }
    }

    // ---- sky ---------------------------------------------------------------------------------------------------

    private static void drawSky(Graphics2D g, Scene s, double horizon, SplittableRandom r) {
        Color top;
        Color bottom;
        switch (s.sky()) {
            case BLUE -> {
                top = new Color(52, 112, 214);
                bottom = new Color(150, 196, 240);
            }
            case GREY -> {
                top = new Color(104, 108, 118);
                bottom = new Color(168, 170, 176);
            }
            case SUNSET -> {
                top = new Color(72, 46, 120);
                bottom = new Color(250, 142, 58);
            }
            default -> {
                top = new Color(4, 8, 30);
                bottom = new Color(24, 34, 78);
            }
        }
        g.setPaint(new GradientPaint(0, 0, top, 0, (float) horizon, bottom));
        g.fill(new Rectangle2D.Double(0, 0, U, horizon + 1));
        if (s.sky() == Sky.NIGHT) {
            g.setColor(new Color(235, 235, 210));
            for (int i = 0; i < 40; i++) {
                double x = r.nextDouble() * U;
                double y = r.nextDouble() * horizon * 0.9;
                double d = 0.8 + r.nextDouble() * 1.4;
                g.fill(new Ellipse2D.Double(x, y, d, d));
            }
        }
        if (s.sun()) {
            boolean low = s.sky() == Sky.SUNSET;
            double x = 30 + r.nextDouble() * 196;
            double y = low ? horizon - 18 : 20 + r.nextDouble() * (horizon * 0.35);
            double d = low ? 46 : 30;
            g.setColor(low ? new Color(255, 96, 40) : new Color(255, 236, 120));
            g.fill(new Ellipse2D.Double(x - d / 2, y - d / 2, d, d));
        }
        if (s.moon()) {
            double x = 30 + r.nextDouble() * 196;
            double y = 18 + r.nextDouble() * (horizon * 0.3);
            g.setColor(new Color(240, 240, 220));
            g.fill(new Ellipse2D.Double(x - 13, y - 13, 26, 26));
            g.setColor(new Color(10, 16, 44));
            g.fill(new Ellipse2D.Double(x - 6, y - 15, 24, 24));
        }
        Color cloud = switch (s.sky()) {
            case GREY -> new Color(190, 192, 198);
            case SUNSET -> new Color(250, 190, 170);
            case NIGHT -> new Color(50, 56, 84);
            default -> new Color(250, 250, 252);
        };
        for (int i = 0; i < s.clouds(); i++) {
            double cx = r.nextDouble() * U;
            double cy = 12 + r.nextDouble() * horizon * 0.55;
            double w = 40 + r.nextDouble() * 50;
            g.setColor(cloud);
            for (int k = 0; k < 5; k++) {
                double px = cx + (k - 2) * w / 6 + r.nextDouble() * 6;
                double py = cy + r.nextDouble() * 6 - (k == 2 ? 7 : 0);
                double pw = w / 2.6 + r.nextDouble() * 8;
                g.fill(new Ellipse2D.Double(px - pw / 2, py - pw / 3, pw, pw * 0.62));
            }
        }
    }

    // ---- land ----------------------------------------------------------------------------------------------------

    private static void drawMountains(Graphics2D g, Mountains style, double horizon, Light light, SplittableRandom r) {
        Color rock = switch (style) {
            case MAROON -> new Color(118, 44, 52);
            case SNOW_CAPPED -> new Color(112, 120, 140);
            default -> new Color(118, 120, 128);
        };
        int peaks = 2 + r.nextInt(3);
        double width = U / peaks * 1.6;
        for (int i = 0; i < peaks; i++) {
            double cx = (i + 0.5) * U / peaks + (r.nextDouble() - 0.5) * 20;
            double h = 50 + r.nextDouble() * 45;
            double top = horizon - h;
            double half = width / 2 * (0.8 + 0.4 * r.nextDouble());
            Path2D mountain = new Path2D.Double();
            mountain.moveTo(cx - half, horizon + 2);
            mountain.lineTo(cx - half * 0.15, top + 6);
            mountain.lineTo(cx, top);
            mountain.lineTo(cx + half * 0.2, top + 8);
            mountain.lineTo(cx + half, horizon + 2);
            mountain.closePath();
            g.setColor(light.apply(shade(rock, 0.9 + 0.2 * r.nextDouble())));
            g.fill(mountain);
            if (style == Mountains.SNOW_CAPPED) {
                double capDepth = h * 0.38;
                double t = capDepth / h;
                Path2D cap = new Path2D.Double();
                cap.moveTo(cx - half * t, top + capDepth);
                cap.lineTo(cx - half * 0.15 * 1.0, top + 6);
                cap.lineTo(cx, top);
                cap.lineTo(cx + half * 0.2, top + 8);
                cap.lineTo(cx + half * t, top + capDepth);
                cap.lineTo(cx + half * t * 0.4, top + capDepth * 0.8);
                cap.lineTo(cx, top + capDepth);
                cap.lineTo(cx - half * t * 0.5, top + capDepth * 0.78);
                cap.closePath();
                g.setColor(light.apply(new Color(246, 248, 252)));
                g.fill(cap);
            }
        }
    }

    private static void drawHills(Graphics2D g, Ground ground, double horizon, Light light, SplittableRandom r) {
        Color base = shade(groundColour(ground), 0.92);
        for (int i = 0; i < 3; i++) {
            double cx = r.nextDouble() * U;
            double w = 120 + r.nextDouble() * 120;
            double h = 26 + r.nextDouble() * 20;
            g.setColor(light.apply(shade(base, 0.9 + 0.15 * r.nextDouble())));
            g.fill(new Ellipse2D.Double(cx - w / 2, horizon - h, w, h * 2));
        }
    }

    private static void drawGround(
            Graphics2D g, Ground ground, double top, double bottom, Light light, SplittableRandom r) {
        Color base = groundColour(ground);
        g.setPaint(new GradientPaint(
                0, (float) top, light.apply(shade(base, 0.85)), 0, (float) bottom, light.apply(shade(base, 1.08))));
        g.fill(new Rectangle2D.Double(0, top, U, bottom - top));
        double depth = bottom - top;
        switch (ground) {
            case GRASS -> {
                g.setStroke(new BasicStroke(1.1f));
                for (int i = 0; i < 420; i++) {
                    double y = top + Math.pow(r.nextDouble(), 0.7) * depth;
                    double x = r.nextDouble() * U;
                    double len = 2 + 5 * (y - top) / Math.max(depth, 1);
                    g.setColor(light.apply(shade(base, 0.7 + 0.5 * r.nextDouble())));
                    g.draw(new java.awt.geom.Line2D.Double(x, y, x + (r.nextDouble() - 0.5) * 2, y - len));
                }
            }
            case SNOW -> {
                for (int i = 0; i < 60; i++) {
                    double y = top + r.nextDouble() * depth;
                    double x = r.nextDouble() * U;
                    double w = 20 + r.nextDouble() * 40;
                    g.setColor(light.apply(new Color(214, 224, 240)));
                    g.fill(new Ellipse2D.Double(x - w / 2, y, w, 2 + r.nextDouble() * 3));
                }
            }
            case FIELD -> {
                g.setStroke(new BasicStroke(1.6f));
                for (double y = top + 3; y < bottom; y += 3 + (y - top) * 0.06) {
                    g.setColor(light.apply(shade(base, 0.78 + 0.12 * r.nextDouble())));
                    g.draw(new java.awt.geom.Line2D.Double(0, y, U, y + (r.nextDouble() - 0.5) * 2));
                }
            }
            case SOIL -> {
                g.setStroke(new BasicStroke(2.2f));
                double vanish = U / 2;
                for (int i = -12; i <= 12; i++) {
                    g.setColor(light.apply(shade(base, 0.72)));
                    g.draw(new java.awt.geom.Line2D.Double(vanish + i * 4, top, vanish + i * 36, bottom));
                }
            }
        }
    }

    private static void drawLake(Graphics2D g, Sky sky, double horizon, Light light, SplittableRandom r) {
        Color water = switch (sky) {
            case GREY -> new Color(120, 130, 146);
            case SUNSET -> new Color(180, 110, 90);
            case NIGHT -> new Color(16, 24, 60);
            default -> new Color(64, 128, 210);
        };
        double cx = 40 + r.nextDouble() * 176;
        double w = 90 + r.nextDouble() * 60;
        double h = 16 + r.nextDouble() * 10;
        g.setColor(water);
        g.fill(new Ellipse2D.Double(cx - w / 2, horizon + 4, w, h));
        g.setColor(light.apply(new Color(210, 230, 250, 160)));
        g.fill(new Rectangle2D.Double(cx - w / 4, horizon + 4 + h * 0.45, w / 2, 1.2));
    }

    private static void drawTrees(
            Graphics2D g, Trees trees, Ground ground, double horizon, Light light, SplittableRandom r) {
        int count = trees == Trees.FOREST ? 26 : 2 + r.nextInt(3);
        double spanStart = trees == Trees.FOREST ? r.nextDouble() * 60 : 0;
        double span = trees == Trees.FOREST ? 140 + r.nextDouble() * 56 : U;
        Color leaves = ground == Ground.SNOW ? new Color(40, 80, 60) : new Color(34, 100, 40);
        for (int i = 0; i < count; i++) {
            double x = spanStart + r.nextDouble() * span;
            double h = trees == Trees.FOREST ? 26 + r.nextDouble() * 18 : 34 + r.nextDouble() * 22;
            double base = horizon + 2 + (trees == Trees.FOREST ? r.nextDouble() * 6 : r.nextDouble() * 14);
            g.setColor(light.apply(new Color(90, 60, 30)));
            g.fill(new Rectangle2D.Double(x - 1.5, base - h * 0.3, 3, h * 0.3));
            g.setColor(light.apply(shade(leaves, 0.8 + 0.35 * r.nextDouble())));
            Path2D crown = new Path2D.Double();
            crown.moveTo(x - h * 0.28, base - h * 0.25);
            crown.lineTo(x, base - h);
            crown.lineTo(x + h * 0.28, base - h * 0.25);
            crown.closePath();
            g.fill(crown);
            if (ground == Ground.SNOW) {
                g.setColor(light.apply(new Color(240, 244, 250)));
                Path2D snow = new Path2D.Double();
                snow.moveTo(x - h * 0.09, base - h * 0.76);
                snow.lineTo(x, base - h);
                snow.lineTo(x + h * 0.09, base - h * 0.76);
                snow.closePath();
                g.fill(snow);
            }
        }
    }

    private static void drawBarn(Graphics2D g, double horizon, Light light, SplittableRandom r) {
        double x = 20 + r.nextDouble() * 180;
        double w = 38;
        double h = 26;
        double base = horizon + 10;
        g.setColor(light.apply(new Color(176, 36, 30)));
        g.fill(new Rectangle2D.Double(x, base - h, w, h));
        Path2D roof = new Path2D.Double();
        roof.moveTo(x - 3, base - h);
        roof.lineTo(x + w / 2, base - h - 15);
        roof.lineTo(x + w + 3, base - h);
        roof.closePath();
        g.setColor(light.apply(new Color(80, 60, 56)));
        g.fill(roof);
        g.setColor(light.apply(new Color(240, 236, 226)));
        g.setStroke(new BasicStroke(1.4f));
        g.draw(new Rectangle2D.Double(x + w / 2 - 7, base - 15, 14, 15));
        g.draw(new java.awt.geom.Line2D.Double(x + w / 2 - 7, base - 15, x + w / 2 + 7, base));
        g.draw(new java.awt.geom.Line2D.Double(x + w / 2 + 7, base - 15, x + w / 2 - 7, base));
    }

    private static void drawFence(Graphics2D g, double horizon, Light light) {
        double y = horizon + (U - horizon) * 0.82;
        g.setColor(light.apply(new Color(120, 82, 44)));
        g.setStroke(new BasicStroke(2.6f));
        g.draw(new java.awt.geom.Line2D.Double(0, y, U, y));
        g.draw(new java.awt.geom.Line2D.Double(0, y + 9, U, y + 9));
        g.setStroke(new BasicStroke(3.4f));
        for (double x = 6; x < U; x += 28) {
            g.draw(new java.awt.geom.Line2D.Double(x, y - 5, x, y + 18));
        }
    }

    // ---- animals ---------------------------------------------------------------------------------------------------

    private static void drawGroup(Graphics2D g, AnimalGroup group, double horizon, Light light, SplittableRandom r) {
        double ground = horizon + 8 + group.depth() * (U - horizon - 26);
        double scale = 0.55 + 1.05 * group.depth();
        double spacing = 30 * scale;
        double start = group.x() * U - (group.count() - 1) * spacing / 2;
        for (int i = 0; i < group.count(); i++) {
            double x = start + i * spacing + (r.nextDouble() - 0.5) * 6 * scale;
            double y = ground + (r.nextDouble() - 0.5) * 8 * scale;
            drawAnimal(g, group.animal(), group.colour(), x, y, scale, r.nextBoolean(), light);
        }
    }

    /** One animal in side view, standing on (x, y), facing right unless {@code left}. */
    private static void drawAnimal(
            Graphics2D g,
            Scene.Animal animal,
            Colour colour,
            double x,
            double y,
            double scale,
            boolean left,
            Light light) {
        Graphics2D a = (Graphics2D) g.create();
        try {
            a.translate(x, y);
            a.scale(left ? -scale : scale, scale);
            Color body = light.apply(bodyColour(animal, colour));
            Color dark = light.apply(shade(body, 0.55));
            switch (animal) {
                case COW -> drawCow(a, body, dark, colour, light);
                case SHEEP -> drawSheep(a, body, light);
                case HORSE -> drawHorse(a, body, dark);
                case ALPACA -> drawAlpaca(a, body, dark);
            }
        } finally {
            a.dispose();
        }
    }

    private static void drawCow(Graphics2D a, Color body, Color dark, Colour colour, Light light) {
        legs(a, dark, new double[] {-9, -5, 6, 10}, 8, 2.6);
        a.setColor(body);
        a.fill(new Rectangle2D.Double(-12, -20, 25, 13));
        a.fill(new Ellipse2D.Double(-13, -20, 6, 13));
        if (colour == Colour.BLACK_AND_WHITE) {
            a.setColor(light.apply(new Color(24, 24, 26)));
            a.fill(new Ellipse2D.Double(-6, -19, 8, 6));
            a.fill(new Ellipse2D.Double(4, -14, 7, 6));
        }
        a.setColor(body);
        a.fill(new Ellipse2D.Double(11, -24, 9, 9));
        a.setColor(colour == Colour.BLACK_AND_WHITE ? light.apply(new Color(24, 24, 26)) : dark);
        a.fill(new Ellipse2D.Double(16, -20, 5, 5));
        a.setColor(light.apply(new Color(236, 226, 200)));
        a.fill(new Rectangle2D.Double(12, -27, 1.6, 4));
        a.fill(new Rectangle2D.Double(17, -27, 1.6, 4));
    }

    private static void drawSheep(Graphics2D a, Color wool, Light light) {
        Color dark = light.apply(new Color(36, 32, 32));
        legs(a, dark, new double[] {-6, -3, 4, 7}, 6, 1.8);
        a.setColor(wool);
        for (double[] puff :
                new double[][] {{-10, -19, 10}, {-4, -21, 11}, {2, -20, 11}, {-8, -14, 10}, {0, -14, 11}, {5, -16, 9}
                }) {
            a.fill(new Ellipse2D.Double(puff[0], puff[1], puff[2], puff[2] * 0.85));
        }
        a.setColor(dark);
        a.fill(new Ellipse2D.Double(11, -20, 7, 8));
    }

    private static void drawHorse(Graphics2D a, Color body, Color dark) {
        legs(a, dark, new double[] {-10, -6, 7, 11}, 12, 2.2);
        a.setColor(body);
        a.fill(new Ellipse2D.Double(-13, -24, 28, 13));
        Path2D neck = new Path2D.Double();
        neck.moveTo(7, -21);
        neck.lineTo(13, -35);
        neck.lineTo(19, -34);
        neck.lineTo(16, -17);
        neck.closePath();
        a.fill(neck);
        Path2D head = new Path2D.Double();
        head.moveTo(13, -37);
        head.lineTo(19, -38);
        head.lineTo(27, -29);
        head.lineTo(24, -26);
        head.closePath();
        a.fill(head);
        a.setColor(dark);
        a.setStroke(new BasicStroke(2.2f));
        a.draw(new java.awt.geom.Line2D.Double(12, -35, 7, -22));
        a.draw(new java.awt.geom.Line2D.Double(-13, -20, -17, -9));
    }

    private static void drawAlpaca(Graphics2D a, Color body, Color dark) {
        legs(a, dark, new double[] {-7, -4, 5, 8}, 10, 2.2);
        a.setColor(body);
        a.fill(new Ellipse2D.Double(-11, -22, 22, 13));
        a.fill(new Rectangle2D.Double(6, -40, 6, 22));
        a.fill(new Ellipse2D.Double(5, -44, 11, 8));
        a.fill(new Rectangle2D.Double(6, -47, 2, 5));
        a.fill(new Rectangle2D.Double(11, -47, 2, 5));
        a.setColor(dark);
        a.fill(new Ellipse2D.Double(13, -42, 4, 3));
    }

    private static void legs(Graphics2D a, Color colour, double[] xs, double length, double width) {
        a.setColor(colour);
        for (double x : xs) {
            a.fill(new Rectangle2D.Double(x, -length, width, length));
        }
    }

    // ---- colour --------------------------------------------------------------------------------------------------

    private static Color bodyColour(Scene.Animal animal, Colour colour) {
        return switch (colour) {
            case WHITE -> animal == Scene.Animal.SHEEP ? new Color(244, 242, 234) : new Color(236, 234, 228);
            case BLACK -> new Color(34, 32, 34);
            case BROWN -> animal == Scene.Animal.ALPACA ? new Color(170, 120, 72) : new Color(122, 70, 36);
            case BLACK_AND_WHITE -> new Color(244, 244, 240);
        };
    }

    static Color groundColour(Ground ground) {
        return switch (ground) {
            case GRASS -> new Color(72, 150, 54);
            case SNOW -> new Color(240, 244, 250);
            case FIELD -> new Color(222, 184, 76);
            case SOIL -> new Color(124, 82, 50);
        };
    }

    private static Color shade(Color c, double f) {
        return new Color(clamp(c.getRed() * f), clamp(c.getGreen() * f), clamp(c.getBlue() * f), c.getAlpha());
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    /** How the sky lights the land: a tint and a brightness. */
    private record Light(double r, double g, double b) {

        static Light of(Sky sky) {
            return switch (sky) {
                case GREY -> new Light(0.86, 0.87, 0.9);
                case SUNSET -> new Light(1.05, 0.82, 0.7);
                case NIGHT -> new Light(0.32, 0.36, 0.5);
                default -> new Light(1, 1, 1);
            };
        }

        Color apply(Color c) {
            return new Color(clamp(c.getRed() * r), clamp(c.getGreen() * g), clamp(c.getBlue() * b), c.getAlpha());
        }
    }
}
