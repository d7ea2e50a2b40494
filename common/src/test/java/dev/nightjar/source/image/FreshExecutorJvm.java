package dev.nightjar.source.image;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import javax.imageio.ImageIO;

/**
 * A JVM started the way an executor starts: ImageIO is first touched from a thread that cannot see
 * the job's jars, and a task thread, whose context class loader holds the job's classes and the
 * ImageIO plugins, decodes. Prints the decoded pixels and ImageIO's cache setting.
 *
 * <p>Arguments: the encoded image's file, then the job's class path entries as URLs.
 */
public final class FreshExecutorJvm {
  private FreshExecutorJvm() {}

  public static void main(String[] args) throws Exception {
    ImageIO.getReaderFormatNames();
    URL[] job = Arrays.stream(args).skip(1).map(FreshExecutorJvm::url).toArray(URL[]::new);
    byte[] encoded = Files.readAllBytes(Path.of(args[0]));
    Throwable[] failure = new Throwable[1];
    try (URLClassLoader jobLoader = new URLClassLoader(job, ClassLoader.getSystemClassLoader())) {
      Thread task =
          new Thread(
              () -> {
                try {
                  Class<?> decoderClass =
                      Class.forName("dev.nightjar.source.image.ImageDecoder", true, jobLoader);
                  Object decoder =
                      decoderClass
                          .getConstructor(int.class, int.class, int.class, long.class, long.class)
                          .newInstance(3, 32, 32, 1_000_000L, 1L << 20);
                  byte[] pixels =
                      (byte[])
                          decoderClass.getMethod("decode", byte[].class).invoke(decoder, encoded);
                  System.out.println("pixels " + Base64.getEncoder().encodeToString(pixels));
                  System.out.println("useCache " + ImageIO.getUseCache());
                } catch (ReflectiveOperationException e) {
                  failure[0] = e.getCause() != null ? e.getCause() : e;
                }
              });
      task.setContextClassLoader(jobLoader);
      task.start();
      task.join();
    }
    if (failure[0] != null) {
      System.out.println("failed " + failure[0]);
      System.exit(1);
    }
  }

  private static URL url(String text) {
    try {
      return new URL(text);
    } catch (java.net.MalformedURLException e) {
      throw new IllegalArgumentException(text, e);
    }
  }
}
