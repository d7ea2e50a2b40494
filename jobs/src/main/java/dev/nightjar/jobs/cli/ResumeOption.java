package dev.nightjar.jobs.cli;

import java.util.List;
import picocli.CommandLine.Option;

/** {@code --resume}, for the jobs that train. */
public final class ResumeOption {
  @Option(
      names = "--resume",
      description = "Continue training from the run date's last checkpoint (train.resume=true).")
  boolean resume;

  /** The setting the option stands for. */
  public List<String> overrides() {
    return resume ? List.of("train.resume=true") : List.of();
  }
}
