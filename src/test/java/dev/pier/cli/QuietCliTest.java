package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Issue 19 item 9: usage errors are one line plus where the help is, help has no picocli warning, libraries are quiet. */
class QuietCliTest {

    @Test
    void helpHasNoPicocliWarningAnywhere() {
        CliRun root = CliRun.of("--help");
        assertThat(root.exit()).isZero();
        assertThat(root.out() + root.err()).doesNotContain("picocli WARN").contains("quickstart");
        for (String command : List.of(
                "quickstart",
                "train",
                "evaluate",
                "compress",
                "inspect",
                "serve",
                "predict",
                "bench",
                "package",
                "deploy",
                "example-model")) {
            CliRun help = CliRun.of(command, "--help");
            assertThat(help.exit()).as(command).isZero();
            assertThat(help.out() + help.err()).as(command).doesNotContain("picocli WARN");
        }
        CliRun prune = CliRun.of("compress", "auto", "--help");
        assertThat(prune.out() + prune.err()).doesNotContain("picocli WARN");
    }

    @Test
    void aMissingOptionIsOneLinePlusWhereTheHelpIs() {
        CliRun run = CliRun.of("train");
        assertThat(run.exit()).isEqualTo(PierCli.EXIT_USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines().toList())
                .containsExactly("pier: Missing required option: '--dataset=<dataset>'", "try `pier train --help`");

        CliRun sub = CliRun.of("deploy", "kubernetes", "--autoscale", "2..3");
        assertThat(sub.exit()).isEqualTo(PierCli.EXIT_USAGE);
        assertThat(sub.err().lines().toList()).hasSize(2).last().isEqualTo("try `pier deploy kubernetes --help`");
    }

    @Test
    void aMistypedCommandGetsDidYouMean() {
        CliRun run = CliRun.of("trian");
        assertThat(run.exit()).isEqualTo(PierCli.EXIT_USAGE);
        assertThat(run.err())
                .contains("pier: Unmatched argument")
                .contains("train")
                .contains("try `pier --help`");
        assertThat(run.err().lines().count()).isLessThanOrEqualTo(4);
    }

    @Test
    void librariesLogAtWarnAndPierAtInfoUnlessVerbose() {
        assertThat(LoggerFactory.getLogger("ai.djl.pytorch.engine.PtEngine").isInfoEnabled())
                .isFalse();
        assertThat(LoggerFactory.getLogger("ai.djl.pytorch.engine.PtEngine").isWarnEnabled())
                .isTrue();
        assertThat(LoggerFactory.getLogger("dev.pier.serving.ModelManager").isInfoEnabled())
                .isTrue();
        try (LibraryLogs verbose = LibraryLogs.atInfo()) {
            assertThat(LoggerFactory.getLogger("ai.djl.pytorch.engine.PtEngine").isInfoEnabled())
                    .isTrue();
        }
        assertThat(LoggerFactory.getLogger("ai.djl.pytorch.engine.PtEngine").isInfoEnabled())
                .isFalse();
    }

    @Test
    void noProgressBarWhenStderrIsNotATerminal() {
        // under the test runner stderr is a pipe or a file
        assertThat(Terminal.stderrIsTerminal()).isFalse();
    }
}
