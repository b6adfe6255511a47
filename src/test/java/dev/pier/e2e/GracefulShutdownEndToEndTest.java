package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 item 9: SIGTERM under a steady request loop. Readiness must turn 503 at once while inference still
 * answers through the drain window; afterwards every request either succeeds with the right numbers or is
 * refused with a clean 503, until the port closes (connection refused); the process exits 0.
 */
class GracefulShutdownEndToEndTest {
    static final long DRAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);

    @TempDir
    Path dir;

    @Test
    void sigtermUnderLoadLosesNoAcceptedRequest() throws Exception {
        TestRepository repo = new TestRepository(dir.resolve("models"));
        PierProcess pier = PierProcess.serve(
                "--model-repository", repo.root.toString(), "--drain-seconds", "1.5", "--grace-seconds", "15");
        try {
            float[][] x = ServeEndToEndTest.rows(2, 7);
            double[][] expected = {repo.mlp(1, x[0]), repo.mlp(1, x[1])};
            String body = "{\"instances\":" + ServeEndToEndTest.jsonRows(x) + "}";

            AtomicLong sigtermAt = new AtomicLong(Long.MAX_VALUE);
            AtomicLong notReadyAt = new AtomicLong(Long.MAX_VALUE);
            AtomicLong lastOkAt = new AtomicLong();
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger okAfterSigterm = new AtomicInteger();
            AtomicInteger refused503 = new AtomicInteger();
            AtomicInteger notAccepted = new AtomicInteger();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                clients.add(Thread.ofPlatform().start(() -> {
                    Http http = new Http(pier.httpPort());
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
                    while (System.nanoTime() < end) {
                        try {
                            Http.Answer a = http.post("/v1/models/mlp/versions/1:predict", body);
                            if (a.status() == 200) {
                                var p = a.json().get("predictions");
                                for (int r = 0; r < 2; r++) {
                                    for (int k = 0; k < TestRepository.OUT; k++) {
                                        assertThat(p.get(r).get(k).asDouble()).isCloseTo(expected[r][k], within(1e-5));
                                    }
                                }
                                ok.incrementAndGet();
                                lastOkAt.set(System.nanoTime());
                                if (System.nanoTime() > sigtermAt.get()) {
                                    okAfterSigterm.incrementAndGet();
                                }
                            } else if (a.status() == 503 && a.text().contains("shutting down")) {
                                refused503.incrementAndGet();

                            } else {
                                failures.add("HTTP " + a.status() + ": " + a.text());
                            }
                        } catch (ConnectException e) {
                            notAccepted.incrementAndGet();
                            return; // the port is closed: nothing more to send
                        } catch (IOException e) {
                            // Once the drain window is over the server refuses and then closes its sockets; a request
                            // written onto a connection at that instant never reached a handler (the server's own count
                            // of accepted-but-cut requests is checked below). Before that, an I/O error is a lost
                            // request.
                            if (System.nanoTime() < sigtermAt.get() + DRAIN_NANOS) {
                                failures.add("I/O error during normal serving or the drain window: " + e);
                            }
                            notAccepted.incrementAndGet();
                            return;
                        } catch (InterruptedException e) {
                            return;
                        } catch (AssertionError e) {
                            failures.add("wrong answer: " + e.getMessage());
                        }
                    }
                    failures.add("server still answering after 40 s");
                }));
            }
            Thread readiness = Thread.ofPlatform().start(() -> {
                Http http = new Http(pier.httpPort());
                while (notReadyAt.get() == Long.MAX_VALUE) {
                    try {
                        if (http.get("/v2/health/ready").status() == 503) {
                            notReadyAt.set(System.nanoTime());
                        }
                        Thread.sleep(20);
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            });

            long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (ok.get() < 20 && failures.isEmpty() && System.nanoTime() < warm) {
                Thread.sleep(50);
            }
            assertThat(ok.get())
                    .as("requests served before SIGTERM; failures: " + failures + "\n" + pier.output())
                    .isPositive();
            sigtermAt.set(System.nanoTime());
            pier.terminate();
            int exit = pier.waitForExit(30);
            for (Thread t : clients) {
                t.join(45_000);
            }
            readiness.join(5_000);

            assertThat(failures).as("lost or wrong requests").isEmpty();
            assertThat(exit)
                    .as("exit code after a clean drain; output:\n" + pier.output())
                    .isZero();
            assertThat(notReadyAt.get()).as("readiness went 503").isNotEqualTo(Long.MAX_VALUE);
            assertThat(TimeUnit.NANOSECONDS.toMillis(notReadyAt.get() - sigtermAt.get()))
                    .as("ms until not ready")
                    .isLessThan(1000);
            assertThat(lastOkAt.get())
                    .as("inference still served after readiness turned false (drain window)")
                    .isGreaterThan(notReadyAt.get());
            assertThat(okAfterSigterm.get()).isPositive();
            assertThat(pier.output()).contains("pier: shutting down", "pier: stopped; 0 accepted request(s) cut");
            System.out.printf(
                    "graceful shutdown: %d ok (%d after SIGTERM), %d refused with 503, %d not accepted%n",
                    ok.get(), okAfterSigterm.get(), refused503.get(), notAccepted.get());
        } finally {
            pier.close();
        }
    }
}
