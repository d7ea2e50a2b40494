package dev.nightjar.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The native libraries ND4J's CUDA backend (nd4j-cuda-11.6 with cuDNN, javacpp's CUDA 11.6 / cuDNN
 * 8.3 presets) loads, checked against the library files a host has. ND4J itself fails on a missing
 * one with an UnsatisfiedLinkError deep in its loader, or not at all until a cuDNN layer runs; a
 * GPU executor checks them as it starts and names every missing or mismatched one in one line.
 *
 * <p>The sonames are those the presets' JNI libraries are linked against (their ELF NEEDED
 * entries). A CUDA 12 or cuDNN 9 stack (what ONNX Runtime's current CUDA build wants) has other
 * sonames, so it shows as missing, with what was found instead.
 */
public final class CudaLibraries {
  /** The CUDA runtime and cuDNN versions the backend is built for. */
  static final int CUDA_MAJOR = 11;

  static final int CUDA_MINOR = 6;
  static final int CUDNN_MAJOR = 8;
  static final int CUDNN_MINOR = 3;

  /** Every soname the backend needs, the NVIDIA driver's own libcuda first. */
  static final List<String> NEEDED =
      List.of(
          "libcuda.so.1",
          "libcudart.so.11.0",
          "libcublas.so.11",
          "libcublasLt.so.11",
          "libcusolver.so.11",
          "libcusparse.so.11",
          "libcudnn.so.8",
          "libcudnn_ops_infer.so.8",
          "libcudnn_ops_train.so.8",
          "libcudnn_cnn_infer.so.8",
          "libcudnn_cnn_train.so.8");

  /** ND4J's CUDA backend, present in a job jar built with -Pcuda. */
  private static final String BACKEND_CLASS = "org.nd4j.linalg.jcublas.JCublasBackend";

  /** Where javacpp's CUDA redistributable jar, when on the class path, carries the libraries. */
  private static final String REDIST_FOLDER = "org/bytedeco/cuda/linux-x86_64/";

  private static final Pattern VERSIONED =
      Pattern.compile("(lib[\\w]+)\\.so\\.(\\d+)(?:\\.(\\d+))?.*");

  private CudaLibraries() {}

  /**
   * One line naming every needed library that is missing or of the wrong version among {@code
   * files} (library file names such as {@code libcudart.so.11.6.55}), or empty when all are there.
   */
  public static Optional<String> check(Collection<String> files) {
    List<String> problems = problems(files);
    if (problems.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "ND4J's CUDA backend needs CUDA "
            + CUDA_MAJOR
            + "."
            + CUDA_MINOR
            + " and cuDNN "
            + CUDNN_MAJOR
            + "."
            + CUDNN_MINOR
            + " or a later "
            + CUDA_MAJOR
            + ".x / "
            + CUDNN_MAJOR
            + ".x: "
            + String.join("; ", problems));
  }

  /** Each missing or mismatched library, as a phrase naming it. */
  static List<String> problems(Collection<String> files) {
    Set<String> names = Set.copyOf(files);
    List<String> problems = new ArrayList<>();
    for (String soname : NEEDED) {
      if (!names.contains(soname)) {
        problems.add(soname + " missing" + foundInstead(soname, names));
      }
    }
    tooOld(names, "libcudart", CUDA_MAJOR, CUDA_MINOR, "CUDA").ifPresent(problems::add);
    tooOld(names, "libcudnn", CUDNN_MAJOR, CUDNN_MINOR, "cuDNN").ifPresent(problems::add);
    return problems;
  }

  /** "(found libcudart.so.12)" when another major version of the same library is there. */
  private static String foundInstead(String soname, Set<String> names) {
    String base = soname.substring(0, soname.indexOf(".so.") + 4);
    List<String> others = names.stream().filter(name -> name.startsWith(base)).sorted().toList();
    return others.isEmpty() ? "" : " (found " + String.join(", ", others) + ")";
  }

  /**
   * The newest full version of {@code library} with the needed major (e.g. libcudart.so.11.4.148)
   * when it is older than {@code major.minor}; a bare soname says nothing about its minor version.
   */
  private static Optional<String> tooOld(
      Set<String> names, String library, int major, int minor, String stack) {
    int newest = -1;
    String newestName = null;
    for (String name : names) {
      Matcher matcher = VERSIONED.matcher(name);
      // A soname (libcudart.so.11.0) names the ABI, not the version: only full names count.
      if (matcher.matches()
          && !NEEDED.contains(name)
          && matcher.group(1).equals(library)
          && Integer.parseInt(matcher.group(2)) == major
          && matcher.group(3) != null) {
        int found = Integer.parseInt(matcher.group(3));
        if (found > newest) {
          newest = found;
          newestName = name;
        }
      }
    }
    if (newestName == null || newest >= minor) {
      return Optional.empty();
    }
    return Optional.of(
        newestName
            + " is "
            + stack
            + " "
            + major
            + "."
            + newest
            + ", older than "
            + major
            + "."
            + minor);
  }

  /** Whether this JVM has ND4J's CUDA backend (a job jar built with -Pcuda). */
  static boolean backendOnClassPath() {
    try {
      Class.forName(BACKEND_CLASS, false, CudaLibraries.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * Stops a GPU executor with ND4J's CUDA backend whose host lacks a library it needs, naming them
   * in one line, before anything loads ND4J.
   */
  static void requireOnGpuExecutor(String executorId) {
    if (backendOnClassPath()) {
      check(installed())
          .ifPresent(
              problem -> {
                throw new IllegalStateException("Executor " + executorId + ": " + problem);
              });
    }
  }

  /**
   * The library file names this JVM's dynamic linker may load: the folders of {@code
   * LD_LIBRARY_PATH}, those listed in {@code /etc/ld.so.conf.d}, the system's library folders and
   * CUDA's, and javacpp's redistributable jar when it is on the class path.
   */
  static Set<String> installed() {
    Set<String> folders = new LinkedHashSet<>();
    String path = System.getenv("LD_LIBRARY_PATH");
    if (path != null) {
      folders.addAll(List.of(path.split(":")));
    }
    folders.addAll(linkerConfigFolders());
    folders.addAll(
        List.of(
            "/lib64",
            "/usr/lib64",
            "/lib/x86_64-linux-gnu",
            "/usr/lib/x86_64-linux-gnu",
            "/usr/local/cuda/lib64"));
    Set<String> files = new LinkedHashSet<>();
    for (String folder : folders) {
      if (folder.isBlank() || !Files.isDirectory(Path.of(folder))) {
        continue;
      }
      try (Stream<Path> entries = Files.list(Path.of(folder))) {
        entries.map(entry -> entry.getFileName().toString()).forEach(files::add);
      } catch (IOException | RuntimeException e) {
        // An unreadable folder holds nothing this JVM could load either.
      }
    }
    ClassLoader loader = CudaLibraries.class.getClassLoader();
    for (String soname : NEEDED) {
      if (loader.getResource(REDIST_FOLDER + soname) != null) {
        files.add(soname);
      }
    }
    return files;
  }

  private static List<String> linkerConfigFolders() {
    Path conf = Path.of("/etc/ld.so.conf.d");
    if (!Files.isDirectory(conf)) {
      return List.of();
    }
    List<String> folders = new ArrayList<>();
    try (Stream<Path> files = Files.list(conf)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".conf")).sorted().toList()) {
        Files.readAllLines(file).stream()
            .map(String::strip)
            .filter(line -> line.startsWith("/"))
            .forEach(folders::add);
      }
    } catch (IOException | RuntimeException e) {
      // Without the linker's configuration, the standard folders are still searched.
    }
    return folders;
  }
}
