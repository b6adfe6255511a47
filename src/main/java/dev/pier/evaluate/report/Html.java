package dev.pier.evaluate.report;

import java.util.Locale;

/**
 * Escaping and number formatting shared by Pier's HTML and SVG writers (evaluation, compression). Pure and
 * thread-safe.
 */
public final class Html {

    private Html() {}

    /** Escapes text for element content and double-quoted attributes. */
    public static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A number with fixed decimals, '.' as separator whatever the locale (SVG coordinates need it). */
    public static String num(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    public static String pct(double fraction) {
        return num(fraction * 100, 2) + "%";
    }

    /** 1234567 → "1,234,567". */
    public static String count(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /** Bytes in binary units: "1.2 MiB". */
    public static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return num(v, v < 10 ? 2 : 1) + " " + units[u];
    }

    /** An sRGB colour between two, {@code t} in [0, 1]. */
    public static String mix(int from, int to, double t) {
        t = Math.max(0, Math.min(1, t));
        int r = (int) Math.round(((from >> 16) & 255) + t * (((to >> 16) & 255) - ((from >> 16) & 255)));
        int g = (int) Math.round(((from >> 8) & 255) + t * (((to >> 8) & 255) - ((from >> 8) & 255)));
        int b = (int) Math.round((from & 255) + t * ((to & 255) - (from & 255)));
        return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
    }
}
