package dev.nightjar.run;

import dev.nightjar.config.ConfigException;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.io.InputException;
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
 * Runs the stages of one run date in order. A stage that already succeeded with the same
 * settings is skipped; {@code force} reruns from a stage on. Once a stage runs, every later one
 * runs too, since its inputs changed. A failing stage is retried with exponential back-off, except
 * for bad configuration or input, which no retry mends; then the run stops, naming the stage.
 */
public final class PipelineRunner {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineRunner.class);

  /** A stage: its name, and what runs it and returns its key metrics. */
  public record Stage(String name, Callable<Map<String, Double>> body) {}

  /** What became of a stage: run, or skipped because the record says it was done. */
  public record Outcome(String stage, boolean skipped, StageRecord record) {}

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

  public List<Outcome> run(List<Stage> stages, Optional<String> forceFrom) {
    forceFrom.ifPresent(name -> {
      if (stages.stream().noneMatch(s -> s.name().equals(name))) {
        throw new ConfigException("--force " + name + ": no such stage; the stages are "
            + stages.stream().map(Stage::name).toList());
      }
    });
    List<Outcome> outcomes = new ArrayList<>();
    boolean mustRun = false;
    for (Stage stage : stages) {
      mustRun |= forceFrom.map(stage.name()::equals).orElse(false);
      Optional<StageRecord> done = mustRun ? Optional.empty()
          : ledger.completed(stage.name()).filter(r -> r.configHash().equals(config.hash()));
      if (done.isPresent()) {
        LOG.info("{}: done by run {} at {}; skipping", stage.name(), done.get().runId(), done.get().end());
        outcomes.add(new Outcome(stage.name(), true, done.get()));
        continue;
      }
      mustRun = true;
      outcomes.add(new Outcome(stage.name(), false, runWithRetries(stage)));
    }
    return outcomes;
  }

  private StageRecord runWithRetries(Stage stage) {
    ledger.invalidate(stage.name());
    for (int attempt = 1; ; attempt++) {
      Instant start = Instant.now();
      try {
        Map<String, Double> metrics = stage.body().call();
        StageRecord record = record(stage.name(), StageRecord.OK, start, metrics, "");
        ledger.record(record);
        return record;
      } catch (Exception e) {
        ledger.record(record(stage.name(), StageRecord.FAILED, start, Map.of(),
            e.getMessage() == null ? e.getClass().getName() : e.getMessage().lines().findFirst().orElse("")));
        boolean hopeless = e instanceof ConfigException || e instanceof InputException;
        if (hopeless || attempt > retries) {
          throw new StageFailedException(stage.name(), attempt, e);
        }
        Duration wait = backoff.multipliedBy(1L << (attempt - 1));
        LOG.warn("{} failed (attempt {} of {}): {}; retrying in {} s", stage.name(), attempt, retries + 1,
            e.getMessage(), wait.toSeconds());
        sleep(wait);
      }
    }
  }

  private StageRecord record(String stage, String status, Instant start, Map<String, Double> metrics, String message) {
    Instant end = Instant.now();
    return new StageRecord(config.runId(), config.runDate().toString(), stage, status, start.toString(), end.toString(),
        Duration.between(start, end).toMillis() / 1000.0, Map.copyOf(metrics), config.hash(), BuildInfo.gitRevision(), message);
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
