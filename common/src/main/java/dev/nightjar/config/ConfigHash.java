package dev.nightjar.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A short SHA-256 of the settings, to compare runs. It identifies what the settings produce: when
 * and how a run is started (run date and id, resuming, the pipeline's retries and lock) does not
 * count.
 */
final class ConfigHash {
  private ConfigHash() {}

  /**
   * The first 16 hex digits of the SHA-256 of the resolved {@code nightjar} tree without those
   * keys.
   */
  static String of(Config resolved) {
    Config settings =
        resolved
            .withoutPath(ConfigKeys.RUN_DATE)
            .withoutPath(ConfigKeys.RUN_ID)
            .withoutPath(ConfigKeys.TRAIN_RESUME)
            .withoutPath(ConfigKeys.ROOT + ".pipeline")
            .getConfig(ConfigKeys.ROOT);
    return sha256(settings.root().render(ConfigRenderOptions.concise()));
  }

  private static String sha256(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
