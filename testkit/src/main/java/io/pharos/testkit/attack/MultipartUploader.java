package io.pharos.testkit.attack;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An outsider with only a controller's address posting multipart file uploads to the operator
 * API without a token (issue 14: they used to land in {@code ./file-uploads} before the token was
 * checked). Bounded: {@code count} posts of {@code bytes} each, within {@code budget}.
 */
public final class MultipartUploader {
  private final String apiUrl;

  /** @param apiUrl a controller's API base URL */
  public MultipartUploader(String apiUrl) {
    this.apiUrl = apiUrl;
  }

  /** What the posts got back, status to count (every one should be 401). */
  public record Result(int posts, Map<Integer, Integer> statuses) {}

  public Result run(int count, int bytes, Duration budget) {
    long deadline = System.nanoTime() + budget.toNanos();
    List<ApiProbe.Answer> answers = ApiProbe.list();
    String boundary = "----pharos-attack";
    String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"payload.bin\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n" + "A".repeat(bytes) + "\r\n--" + boundary + "--\r\n";
    for (String path : List.of("/v1/regions/a/failover", "/v1/automation/pause", "/v1/controllers/members")) {
      for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
        answers.add(ApiProbe.send(ApiProbe.request(apiUrl + path)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofString(body))));
      }
    }
    return new Result(answers.size(), ApiProbe.count(answers));
  }
}
