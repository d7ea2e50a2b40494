package dev.nightjar.source;

import dev.nightjar.data.Decoded;
import dev.nightjar.data.Example;
import dev.nightjar.data.Rejection;
import dev.nightjar.source.image.ImageDecoder;
import dev.nightjar.source.image.ImageRejected;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
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
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return pending.hasNext();
      }

      @Override
      public Decoded next() {
        return decode(pending.next(), hadoopConf);
      }
    };
  }

  private Decoded decode(ImageFile file, Configuration hadoopConf) {
    try {
      // Refused before it is read.
      String tooLarge = decoder.sizeProblem(file.bytes());
      if (tooLarge != null) {
        throw new ImageRejected(tooLarge);
      }
      byte[] encoded = new byte[(int) file.bytes()];
      Path path = new Path(file.uri());
      try (InputStream in = path.getFileSystem(hadoopConf).open(path)) {
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
}
