package dev.nightjar.source.image;

/** An image that cannot be used; the message is the reason recorded in the quarantine. */
public final class ImageRejected extends Exception {
  private static final long serialVersionUID = 1L;

  public ImageRejected(String reason) {
    super(reason);
  }
}
