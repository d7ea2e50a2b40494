package dev.nightjar.jobs;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.regex.Pattern;

/**
 * The package rules of docs/architecture.md, checked on the compiled classes of every module the
 * job jar holds: no cycles, settings that know no stage, and stages that read only what earlier
 * stages produce.
 */
@AnalyzeClasses(
    packages = "dev.nightjar",
    importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.NoTestJars.class})
class ArchitectureTest {
  /** Test fixtures shared as test jars (common's) are not production code either. */
  static final class NoTestJars implements ImportOption {
    @Override
    public boolean includes(Location location) {
      return !location.matches(Pattern.compile(".*-tests\\.jar.*"));
    }
  }

  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("dev.nightjar.(**)").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule configKnowsNoStage =
      noClasses()
          .that()
          .resideInAPackage("dev.nightjar.config..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.nightjar.prepare..",
              "dev.nightjar.train..",
              "dev.nightjar.optimize..",
              "dev.nightjar.infer..",
              "dev.nightjar.source..",
              "dev.nightjar.model..",
              "dev.nightjar.run..",
              "dev.nightjar.jobs..");

  @ArchTest
  static final ArchRule prepareKnowsNoLaterStage =
      stageDependsOnNoneOf("prepare", "train", "optimize", "infer");

  @ArchTest
  static final ArchRule trainKnowsNoLaterStage =
      stageDependsOnNoneOf("train", "optimize", "infer", "prepare");

  /** Optimize fine-tunes with the trainer, so it may use train; nothing later. */
  @ArchTest
  static final ArchRule optimizeKnowsNoLaterStage =
      stageDependsOnNoneOf("optimize", "infer", "prepare");

  /** Infer scores what optimize chose through the model package, never the other stages' code. */
  @ArchTest
  static final ArchRule inferKnowsNoOtherStage =
      stageDependsOnNoneOf("infer", "prepare", "train", "optimize");

  @ArchTest
  static final ArchRule onnxExportStandsAlone =
      noClasses()
          .that()
          .resideInAPackage("dev.nightjar.onnx..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.nightjar..")
          .andShould()
          .dependOnClassesThat()
          .resideInAnyPackage("org.apache.spark..");

  private static ArchRule stageDependsOnNoneOf(String stage, String... others) {
    String[] packages = new String[others.length];
    for (int i = 0; i < others.length; i++) {
      packages[i] = "dev.nightjar." + others[i] + "..";
    }
    return noClasses()
        .that()
        .resideInAPackage("dev.nightjar." + stage + "..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(packages);
  }
}
