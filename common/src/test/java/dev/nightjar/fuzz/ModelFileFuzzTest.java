package dev.nightjar.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.config.EngineKind;
import dev.nightjar.io.InputException;
import dev.nightjar.model.Dl4jZip;
import dev.nightjar.model.ModelInput;
import dev.nightjar.model.ModelRef;
import dev.nightjar.model.SparseModelFile;
import dev.nightjar.model.engine.EnginePool;
import dev.nightjar.model.engine.ModelLoader;
import dev.nightjar.model.zoo.ModelZoo;
import dev.nightjar.onnx.OnnxExporter;
import dev.nightjar.optimize.prune.MagnitudePruner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Damaged model files of every kind Nightjar serves, fed to the loader the infer stage uses ({@link
 * ModelLoader}), with no recorded digest so that the parsers themselves read the damage: a DL4J
 * zip, a pruned network's sparse file and an ONNX file, each made from a tiny network, then cut
 * short, with bytes flipped, inserted or removed, or a huge size written over its bytes; the zips
 * also with the damage inside an entry and zipped again, so that it passes the zip's checksums.
 * Each loads or is refused as an {@link InputException} naming the file; nothing else escapes, and
 * no declared size is allocated unchecked.
 */
class ModelFileFuzzTest {
  private static final Configuration CONF = new Configuration();
  private static final int[] SHAPE = {1, 28, 28};
  private static byte[] dl4jZip;
  private static byte[] sparse;
  private static byte[] onnx;
  private static Path dir;

  @BeforeContainer
  static void makeValidFiles() throws IOException {
    ModelInput input = new ModelInput(1, 28, 28, 10);
    MultiLayerNetwork network = ModelZoo.create("tiny-cnn", input, 1e-3, 7);
    // One step of training, so that the zip holds the optimizer's state too, as a trained model's.
    network.fit(
        new DataSet(
            Nd4j.rand(DataType.FLOAT, 4, 1, 28, 28),
            Nd4j.eye(10).getRows(0, 3, 5, 9).castTo(DataType.FLOAT)));
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    ModelSerializer.writeModel(network, zip, true);
    dl4jZip = zip.toByteArray();
    ByteArrayOutputStream pruned = new ByteArrayOutputStream();
    SparseModelFile.write(
        MagnitudePruner.prune(network.clone(), 0.8, MagnitudePruner.Scope.PER_LAYER), pruned);
    sparse = pruned.toByteArray();
    onnx = OnnxExporter.toOnnx(network, input.networkShape(), OnnxExporter.WeightPrecision.FP32);
    dir = Files.createTempDirectory("model-fuzz");
    dir.toFile().deleteOnExit();
  }

  @Property(tries = 150)
  void aDamagedDl4jZipLoadsOrIsRefused(@ForAll("damage") List<Damage> damage) {
    assertLoadsOrIsRefused(Damage.applyAll(dl4jZip, damage), "fuzz.zip", EngineKind.DL4J);
  }

  @Property(tries = 150)
  void aDl4jZipWithDamagedEntriesLoadsOrIsRefused(
      @ForAll("damage") List<Damage> damage, @ForAll("entry") int entry) {
    assertLoadsOrIsRefused(damageEntry(dl4jZip, entry, damage), "fuzz.zip", EngineKind.DL4J);
  }

  @Property(tries = 150)
  void aDamagedSparseFileLoadsOrIsRefused(@ForAll("damage") List<Damage> damage) {
    assertLoadsOrIsRefused(Damage.applyAll(sparse, damage), "fuzz.sparse", EngineKind.DL4J);
  }

  @Property(tries = 250)
  void aSparseFileWithDamagedEntriesLoadsOrIsRefused(
      @ForAll("damage") List<Damage> damage, @ForAll("entry") int entry) {
    assertLoadsOrIsRefused(damageEntry(sparse, entry, damage), "fuzz.sparse", EngineKind.DL4J);
  }

  @Property(tries = 250)
  void aDamagedOnnxFileLoadsOrIsRefused(@ForAll("damage") List<Damage> damage) {
    assertLoadsOrIsRefused(Damage.applyAll(onnx, damage), "fuzz.onnx", EngineKind.ONNXRUNTIME);
  }

  /**
   * The valid files load, the DL4J zip with its optimizer state too: the properties start from
   * files the loader accepts.
   */
  @Property(tries = 1)
  void theUndamagedFilesLoad() {
    assertThat(Dl4jZip.restore(dl4jZip, "fuzz.zip", true).getUpdater().getStateViewArray())
        .isNotNull();
    for (Object[] file :
        new Object[][] {
          {dl4jZip, "fuzz.zip", EngineKind.DL4J},
          {sparse, "fuzz.sparse", EngineKind.DL4J},
          {onnx, "fuzz.onnx", EngineKind.ONNXRUNTIME}
        }) {
      try (EnginePool pool = load((byte[]) file[0], (String) file[1], (EngineKind) file[2])) {
        assertThat(pool).isNotNull();
      }
    }
  }

  @Provide
  Arbitrary<List<Damage>> damage() {
    return Damage.arbitrary().list().ofMinSize(1).ofMaxSize(3);
  }

  @Provide
  Arbitrary<Integer> entry() {
    return Arbitraries.integers().between(0, 3);
  }

  private static void assertLoadsOrIsRefused(byte[] bytes, String name, EngineKind engine) {
    try (EnginePool pool = load(bytes, name, engine)) {
      assertThat(pool).isNotNull();
      Statistics.collect("loaded");
    } catch (InputException e) {
      assertThat(e.getMessage()).contains(name);
      Statistics.collect("refused");
    }
  }

  private static EnginePool load(byte[] bytes, String name, EngineKind engine) {
    Path file = dir.resolve(name);
    try {
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // No recorded digest: the damage reaches the parser rather than the digest check.
    return ModelLoader.load(
        new ModelRef(file.toUri().toString(), "", "fuzz", engine, SHAPE, 10, 1, false), CONF);
  }

  /** The zip with the damage applied to its entry number {@code entry} (modulo their count). */
  private static byte[] damageEntry(byte[] zip, int entry, List<Damage> damage) {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        entries.put(e.getName(), in.readAllBytes());
      }
      List<String> names = new ArrayList<>(entries.keySet());
      String damaged = names.get(entry % names.size());
      entries.put(damaged, Damage.applyAll(entries.get(damaged), damage));
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ZipOutputStream out = new ZipOutputStream(bytes)) {
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
          out.putNextEntry(new ZipEntry(e.getKey()));
          out.write(e.getValue());
          out.closeEntry();
        }
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * One change to a file's bytes, at a place given as a fraction of its length, or among its first
   * 64 bytes, where headers and declared sizes are.
   */
  record Damage(int kind, double at, boolean head, int value, int length) {
    static Arbitrary<Damage> arbitrary() {
      return Combinators.combine(
              Arbitraries.integers().between(0, 4),
              Arbitraries.doubles().between(0, 1),
              Arbitraries.of(true, false),
              Arbitraries.oneOf(
                  Arbitraries.integers(),
                  Arbitraries.of(Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 1 << 30, 65_536)),
              Arbitraries.integers().between(1, 16))
          .as(Damage::new);
    }

    static byte[] applyAll(byte[] bytes, List<Damage> damage) {
      byte[] result = bytes;
      for (Damage d : damage) {
        result = d.apply(result);
      }
      return result;
    }

    byte[] apply(byte[] bytes) {
      if (bytes.length == 0) {
        return bytes;
      }
      int position =
          head
              ? (int) (at * Math.min(64, bytes.length))
              : (int) Math.min(bytes.length - 1, at * bytes.length);
      position = Math.min(position, bytes.length - 1);
      switch (kind) {
        case 0: // cut short
          return Arrays.copyOf(bytes, position);
        case 1: // a byte changed
          {
            byte[] copy = bytes.clone();
            copy[position] ^= (byte) (value == 0 ? 1 : value);
            return copy;
          }
        case 2: // bytes inserted
          {
            byte[] copy = new byte[bytes.length + length];
            System.arraycopy(bytes, 0, copy, 0, position);
            for (int i = 0; i < length; i++) {
              copy[position + i] = (byte) (value >>> (8 * (i % 4)));
            }
            System.arraycopy(bytes, position, copy, position + length, bytes.length - position);
            return copy;
          }
        case 3: // bytes removed
          {
            int end = Math.min(bytes.length, position + length);
            byte[] copy = new byte[bytes.length - (end - position)];
            System.arraycopy(bytes, 0, copy, 0, position);
            System.arraycopy(bytes, end, copy, position, bytes.length - end);
            return copy;
          }
        default: // a huge or negative size written over the bytes, as an int or a long
          {
            byte[] copy = bytes.clone();
            ByteBuffer buffer = ByteBuffer.wrap(copy);
            if (length % 2 == 0 && position + 8 <= copy.length) {
              buffer.putLong(position, value < 0 ? value : (long) value << 20);
            } else if (position + 4 <= copy.length) {
              buffer.putInt(position, value);
            }
            return copy;
          }
      }
    }
  }
}
