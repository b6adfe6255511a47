package dev.pier.train;

import ai.djl.MalformedModelException;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Per-epoch checkpoints in a folder: {@code state.json} (progress, log so far, early-stopping state) and
 * the parameters of the last and the best epoch. Every file is written to a temporary name and moved
 * into place atomically, state last, so an interrupted write leaves the previous checkpoint usable.
 * The optimizer's internal state (Adam's moments, SGD's velocity) is not saved: a resumed run restarts it.
 */
final class Checkpoints {
    static final String STATE = "state.json";
    static final String LAST = "last.params";
    static final String BEST = "best.params";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Progress after {@code completedEpochs} epochs; {@code bestValidationLoss} is null until there is one. */
    record State(
            String architecture,
            String dataset,
            int completedEpochs,
            List<EpochStats> epochs,
            int bestEpoch,
            Double bestValidationLoss,
            int epochsSinceBest,
            boolean stoppedEarly) {}

    private final Path dir;

    Checkpoints(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    void save(State state, byte[] lastParams, byte[] bestParams) throws IOException {
        Files.createDirectories(dir);
        write(dir.resolve(LAST), lastParams);
        if (bestParams != null) {
            write(dir.resolve(BEST), bestParams);
        }
        write(dir.resolve(STATE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
    }

    /** The saved state, or null when there is no checkpoint. */
    State load() throws IOException {
        Path state = dir.resolve(STATE);
        if (!Files.isRegularFile(state)) {
            return null;
        }
        try {
            return JSON.readValue(state.toFile(), State.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot resume: checkpoint " + state + " is unreadable: " + e.getMessage(), e);
        }
    }

    byte[] read(String name) throws IOException {
        Path p = dir.resolve(name);
        return Files.isRegularFile(p) ? Files.readAllBytes(p) : null;
    }

    static byte[] snapshot(Block block) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        }
        return bytes.toByteArray();
    }

    static void restore(DjlNetwork net, byte[] params) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(params))) {
            net.block().loadParameters(net.model().getNDManager(), in);
        } catch (MalformedModelException e) {
            throw new IllegalArgumentException(
                    "checkpoint parameters do not fit architecture "
                            + net.architecture().name() + ": " + e.getMessage(),
                    e);
        }
    }

    private static void write(Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
