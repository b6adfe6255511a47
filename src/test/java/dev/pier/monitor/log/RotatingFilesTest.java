package dev.pier.monitor.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The size bound across restarts: files an earlier run left count, and the oldest go first. */
class RotatingFilesTest {
    @TempDir
    Path dir;

    @Test
    void filesFromAnEarlierRunCountTowardsTheBoundAndTheOldestGoFirst() throws Exception {
        byte[] full = new byte[1024];
        java.util.Arrays.fill(full, (byte) 'x');
        for (int seq = 1; seq <= 3; seq++) {
            Files.write(dir.resolve("predictions-20260101T000000Z-00000" + seq + ".jsonl"), full);
        }
        Files.writeString(dir.resolve("notes.txt"), "not a log file; left alone");
        byte[] line = "{\"type\":\"prediction\"}\n".getBytes(StandardCharsets.UTF_8);
        try (RotatingFiles files = new RotatingFiles(dir, 1024, 3)) {
            assertThat(files.append(line)).isTrue();
            assertThat(files.append(new byte[1025]))
                    .as("larger than a whole file: refused")
                    .isFalse();
        }
        List<Path> left = RotatingFiles.existing(dir);
        assertThat(left)
                .extracting(p -> p.getFileName().toString())
                .containsExactly(
                        "predictions-20260101T000000Z-000002.jsonl",
                        "predictions-20260101T000000Z-000003.jsonl",
                        left.get(2).getFileName().toString());
        assertThat(left.get(2).getFileName().toString()).endsWith("-000004.jsonl");
        assertThat(Files.readAllBytes(left.get(2))).isEqualTo(line);
        assertThat(dir.resolve("notes.txt")).exists();
    }
}
