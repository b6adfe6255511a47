package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ResourceStackTest {

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void closesInReverseOrderOfOpeningAndAFailureDoesNotStopTheRest() {
        List<String> closed = new ArrayList<>();
        ResourceStack stack = new ResourceStack();
        stack.push("engine", () -> closed.add("engine"));
        stack.push("core", () -> {
            closed.add("core");
            throw new IllegalStateException("unload failed");
        });
        stack.push("feature that is off", null);
        stack.push("ports", () -> closed.add("ports"));
        stack.close();
        stack.close();
        assertThat(closed).containsExactly("ports", "core", "engine");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aCloseThatSetsTheInterruptFlagDoesNotCutTheWaitsOfTheOnesAfterIt() {
        List<Boolean> interruptedWhileDraining = new ArrayList<>();
        ResourceStack stack = new ResourceStack();
        stack.push(
                "models",
                () -> interruptedWhileDraining.add(Thread.currentThread().isInterrupted()));
        stack.push("ports", () -> Thread.currentThread().interrupt());
        stack.close();
        assertThat(interruptedWhileDraining)
                .as("the model drain ran with the flag clear")
                .containsExactly(false);
        assertThat(Thread.currentThread().isInterrupted())
                .as("the interrupt is kept for the caller")
                .isTrue();
    }
}
