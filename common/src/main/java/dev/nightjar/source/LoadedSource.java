package dev.nightjar.source;

import dev.nightjar.data.Decoded;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/**
 * A source ready to be read: its decoded records (lazy) and what every example looks like.
 *
 * @param imageShape channels, height and width of every decoded example
 * @param uris the inputs, for the manifest
 */
public record LoadedSource(
    JavaRDD<Decoded> records, int[] imageShape, List<String> classNames, List<String> uris) {}
