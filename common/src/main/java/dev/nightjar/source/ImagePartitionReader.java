package dev.nightjar.source;

import dev.nightjar.data.Decoded;
import dev.nightjar.data.Example;
import dev.nightjar.data.Rejection;
import dev.nightjar.io.LocalFiles;
import dev.nightjar.source.image.ImageDecoder;
import dev.nightjar.source.image.ImageRejected;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Reads and decodes one partition's image files on an executor, lazily, one file at a time. */
final class ImagePartitionReader implements PartitionReader {
  private static final long serialVersionUID = 1L;
  private final List<ImageFile> files;
  private final ImageDecoder decoder;

  ImagePartitionReader(List<ImageFile> files, ImageDecoder decoder) {
    this.files = List.copyOf(files);
    this.decoder = decoder;
  }

  @Override
  public Iterator<Decoded> read(Configuration hadoopConf) {
    Iterator<ImageFile> pending = files.iterator();
    FileSystems fileSystems = new FileSystems(hadoopConf);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return pending.hasNext();
      }

      @Override
      public Decoded next() {
        return decode(pending.next(), fileSystems);
      }
    };
  }

  private Decoded decode(ImageFile file, FileSystems fileSystems) {
    try {
      // Refused before it is read.
      String tooLarge = decoder.sizeProblem(file.bytes());
      if (tooLarge != null) {
        throw new ImageRejected(tooLarge);
      }
      byte[] encoded = new byte[(int) file.bytes()];
      Path path = new Path(file.uri());
      // Small images cost little more to decode than to open: a local file is opened directly.
      try (InputStream in = LocalFiles.open(fileSystems.of(path), path)) {
        org.apache.commons.io.IOUtils.readFully(in, encoded);
      }
      return Decoded.of(
          new Example(file.id(), file.split(), file.label(), decoder.decode(encoded)));
    } catch (ImageRejected e) {
      return Decoded.rejected(new Rejection(file.uri(), "", e.getMessage(), 1));
    } catch (IOException e) {
      return Decoded.rejected(new Rejection(file.uri(), "", "unreadable: " + e.getMessage(), 1));
    }
  }

  /**
   * The file system of a partition's files, looked up once: a partition's files share one folder
   * tree, and the lookup per file (the user, the cache) costs as much as opening a small file.
   */
  private static final class FileSystems {
    private final Configuration hadoopConf;
    private URI last;
    private FileSystem lastFs;

    FileSystems(Configuration hadoopConf) {
      this.hadoopConf = hadoopConf;
    }

    FileSystem of(Path path) throws IOException {
      URI uri = path.toUri();
      if (lastFs == null
          || !Objects.equals(uri.getScheme(), last.getScheme())
          || !Objects.equals(uri.getAuthority(), last.getAuthority())) {
        lastFs = path.getFileSystem(hadoopConf);
        last = uri;
      }
      return lastFs;
    }
  }
}
