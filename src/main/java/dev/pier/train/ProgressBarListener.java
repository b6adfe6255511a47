package dev.pier.train;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;

/**
 * A console progress bar per epoch with live loss and accuracy, then one summary line per epoch.
 * Not thread-safe; used from the training thread only.
 */
public final class ProgressBarListener implements TrainingListener {
    private final PrintStream out;
    private ProgressBar bar;

    public ProgressBarListener(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onEpochStart(int epoch, int totalEpochs, int batches) {
        bar = new ProgressBarBuilder().setTaskName("epoch " + epoch + "/" + totalEpochs).setInitialMax(batches)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(out))
                .setUpdateIntervalMillis(250).build();
    }

    @Override
    public void onBatch(int epoch, int batch, double runningLoss, double runningAccuracy) {
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
        String val = s.validationLoss() == null ? ""
                : String.format(", val loss %.4f acc %.4f", s.validationLoss(), s.validationAccuracy());
        out.printf("epoch %d: loss %.4f acc %.4f%s (%.1f s)%n", s.epoch(), s.trainLoss(), s.trainAccuracy(), val, s.seconds());
    }
}
