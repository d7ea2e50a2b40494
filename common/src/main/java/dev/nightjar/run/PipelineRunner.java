package dev.nightjar.run;

import dev.nightjar.config.ConfigException;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.io.InputException;
import dev.nightjar.metrics.Metric;
import dev.nightjar.stage.Stage;
import dev.nightjar.stage.StageResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the stages of one run date in order. A stage that already succeeded with the same settings
 * and the same inputs (by content: what the stage upstream committed, which a stage's own job may
 * have replaced since) is skipped; {@code force} reruns from a stage on. Once a stage runs, every
 * later one runs too, since its inputs changed. A failing stage is retried with exponential
 * back-off, except for bad configuration or input, which no retry mends; then the run stops, naming
 * the stage.
 */
public final class PipelineRunner {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineRunner.class);

  /**
   * A stage and what runs it.
   *
   * @param inputs the identities of what the stage reads, as they are now (see {@link
   *     StageRecord#inputs})
   */
  public record Step(
      Stage stage, Callable<Map<String, String>> inputs, Callable<? extends StageResult> body) {
    /** A stage that reads nothing another stage writes. */
    public Step(Stage stage, Callable<? extends StageResult> body) {
      this(stage, Map::of, body);
    }
  }

  /**
   * What became of a stage: run, or skipped because the record says it was done.
   *
   * @param result what the stage committed; empty when it was skipped
   */
  public record Outcome(
      Stage stage, boolean skipped, StageRecord record, Optional<StageResult> result) {}

  private final RunLedger ledger;
  private final NightjarConfig config;
  private final int retries;
  private final Duration backoff;

  public PipelineRunner(RunLedger ledger, NightjarConfig config, int retries, Duration backoff) {
    this.ledger = ledger;
    this.config = config;
    this.retries = retries;
    this.backoff = backoff;
  }

  public List<Outcome> run(List<Step> steps, Optional<Stage> forceFrom) {
    forceFrom.ifPresent(
        stage -> {
          if (steps.stream().noneMatch(s -> s.stage() == stage)) {
            throw new ConfigException(
                "--force "
                    + stage
                    + ": not a stage of this run; it runs "
                    + steps.stream().map(Step::stage).toList());
          }
        });
    List<Outcome> outcomes = new ArrayList<>();
    boolean mustRun = false;
    for (Step step : steps) {
      Stage stage = step.stage();
      mustRun |= forceFrom.map(stage::equals).orElse(false);
      Optional<StageRecord> done =
          mustRun ? Optional.empty() : retrying(stage.label(), () -> done(step));
      if (done.isPresent()) {
        LOG.info("{}: done by run {} at {}; skipping", stage, done.get().runId(), done.get().end());
        outcomes.add(new Outcome(stage, true, done.get(), Optional.empty()));
        continue;
      }
      mustRun = true;
      outcomes.add(runWithRetries(step));
    }
    return outcomes;
  }

  /**
   * The stage's marker, if it says the stage ran with these settings on the inputs there are now.
   */
  private Optional<StageRecord> done(Step step) throws Exception {
    Optional<StageRecord> marker =
        ledger.completed(step.stage().label()).filter(r -> r.configHash().equals(config.hash()));
    if (marker.isEmpty()) {
      return marker;
    }
    Map<String, String> inputs = step.inputs().call();
    if (!marker.get().inputs().equals(inputs)) {
      LOG.info(
          "{}: done by run {}, but on other inputs ({}, now {}); running it again",
          step.stage(),
          marker.get().runId(),
          marker.get().inputs(),
          inputs);
      return Optional.empty();
    }
    return marker;
  }

  private Outcome runWithRetries(Step step) {
    String stage = step.stage().label();
    return retrying(
        stage,
        () -> {
          Instant start = Instant.now();
          try {
            ledger.invalidate(stage);
            // Read before the stage runs: what it reads is what its upstream committed, and the
            // lock
            // keeps every other job from replacing that meanwhile.
            Map<String, String> inputs = step.inputs().call();
            StageResult result = step.body().call();
            StageRecord record =
                record(stage, StageRecord.OK, start, Metric.asMap(result.metrics()), inputs, "");
            ledger.record(record);
            return new Outcome(step.stage(), false, record, Optional.of(result));
          } catch (Exception e) {
            try {
              ledger.record(
                  record(
                      stage,
                      StageRecord.FAILED,
                      start,
                      Map.of(),
                      Map.of(),
                      e.getMessage() == null
                          ? e.getClass().getName()
                          : e.getMessage().lines().findFirst().orElse("")));
            } catch (RuntimeException unrecorded) {
              // A run that lost the lock may not record either; the stage's own failure is the one
              // to report.
              e.addSuppressed(unrecorded);
            }
            throw e;
          }
        });
  }

  /**
   * Calls {@code attempt} until it succeeds, waiting a doubling back-off between tries. Bad
   * configuration or content, and a lost lock, fail at once; a failing read ({@code
   * InputReadException}) and anything else is tried again.
   */
  private <T> T retrying(String stage, Callable<T> attempt) {
    for (int n = 1; ; n++) {
      try {
        return attempt.call();
      } catch (Exception e) {
        boolean hopeless =
            e instanceof ConfigException
                || e instanceof InputException
                || e instanceof LeaseLostException;
        if (hopeless || n > retries) {
          throw new StageFailedException(stage, n, e);
        }
        Duration wait = backoff.multipliedBy(1L << (n - 1));
        LOG.warn(
            "{} failed (attempt {} of {}): {}; retrying in {} s",
            stage,
            n,
            retries + 1,
            e.getMessage(),
            wait.toSeconds());
        sleep(wait);
      }
    }
  }

  private StageRecord record(
      String stage,
      String status,
      Instant start,
      Map<String, Double> metrics,
      Map<String, String> inputs,
      String message) {
    Instant end = Instant.now();
    return new StageRecord(
        config.runId(),
        config.runDate().toString(),
        stage,
        status,
        start.toString(),
        end.toString(),
        Duration.between(start, end).toMillis() / 1000.0,
        Map.copyOf(metrics),
        config.hash(),
        inputs,
        BuildInfo.gitRevision(),
        message);
  }

  private static void sleep(Duration wait) {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to retry", e);
    }
  }
}
