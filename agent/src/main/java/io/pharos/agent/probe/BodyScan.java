package io.pharos.agent.probe;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * Looks for a byte string in a body that arrives in chunks, keeping only the last
 * {@code wanted.length - 1} bytes of what came before (the text may span two chunks).
 */
final class BodyScan {
  private final byte[] wanted;
  private byte[] tail = new byte[0];
  private long read;

  /** Looks for {@code wanted}; with null, any body will do and the scan only counts. */
  BodyScan(byte[] wanted) {
    this.wanted = wanted;
  }

  boolean anyBody() {
    return wanted == null;
  }

  /** Feeds one chunk; true once the text was found. */
  boolean feed(ByteBuf chunk) {
    byte[] bytes = ByteBufUtil.getBytes(chunk);
    read += bytes.length;
    byte[] window = new byte[tail.length + bytes.length];
    System.arraycopy(tail, 0, window, 0, tail.length);
    System.arraycopy(bytes, 0, window, tail.length, bytes.length);
    if (indexOf(window, wanted) >= 0) {
      return true;
    }
    int keep = Math.min(window.length, Math.max(0, wanted.length - 1));
    tail = java.util.Arrays.copyOfRange(window, window.length - keep, window.length);
    return false;
  }

  /** Counts a chunk that is not scanned (any body will do); returns the body bytes seen. */
  long count(ByteBuf chunk) {
    read += chunk.readableBytes();
    return read;
  }

  /** Body bytes seen so far. */
  long read() {
    return read;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    if (needle.length == 0) {
      return 0;
    }
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
