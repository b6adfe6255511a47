package dev.pier.train;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A console progress bar per epoch with live loss and accuracy, then one summary line per epoch.
 * Not thread-safe; used from the training thread only.
 */
public final class ProgressBarListener implements TrainingListener {
    private final PrintStream out;
    private final PrintStream barOut;
    private final boolean showBar;
    private ProgressBar bar;

    /** @param showBar false prints only the per-epoch summary lines (for logs and CI) */
    public ProgressBarListener(PrintStream out, boolean showBar) {
        this(out, out, showBar);
    }

    /**
     * @param out     where the per-epoch summary lines go
     * @param barOut  where the bar is drawn (a terminal's stderr: the bar is progress, not a result)
     * @param showBar false prints only the per-epoch summary lines (for logs and CI)
     */
    public ProgressBarListener(PrintStream out, PrintStream barOut, boolean showBar) {
        this.out = out;
        this.barOut = barOut;
        this.showBar = showBar;
    }

    @Override
    public void onEpochStart(int epoch, int totalEpochs, int batches) {
        if (!showBar) {
            return;
        }
        bar = new ProgressBarBuilder()
                .setTaskName("epoch " + epoch + "/" + totalEpochs)
                .setInitialMax(batches)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(barOut))
                .setUpdateIntervalMillis(250)
                .build();
    }

    @Override
    public void onBatch(int epoch, int batch, double runningLoss, double runningAccuracy) {
        if (bar == null) {
            return;
        }
        bar.step();
        if (batch % 20 == 0) {
            bar.setExtraMessage(String.format(" loss %.4f acc %.4f", runningLoss, runningAccuracy));
        }
    }

    @Override
    public void onEpochEnd(EpochStats s) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        String val = s.validationLoss() == null
                ? ""
                : String.format(", val loss %.4f acc %.4f", s.validationLoss(), s.validationAccuracy());
        out.printf(
                "epoch %d: loss %.4f acc %.4f%s (%.1f s)%n",
                s.epoch(), s.trainLoss(), s.trainAccuracy(), val, s.seconds());
    }
}
