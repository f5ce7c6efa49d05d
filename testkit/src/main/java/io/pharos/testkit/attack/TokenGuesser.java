package io.pharos.testkit.attack;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Token brute force from one address: random guesses shaped like a real token for a known name
 * ({@code pt1.<name>.<secret>}), bounded by count and time. The API should answer 401 until the
 * address has used up its failed authentications, then 429 with the {@code X-RateLimit-*} headers.
 */
public final class TokenGuesser {
  private final String apiUrl;
  private final SecureRandom random = new SecureRandom();

  public TokenGuesser(String apiUrl) {
    this.apiUrl = apiUrl;
  }

  /**
   * @param statuses status to count
   * @param first429 when 429 was first answered: its headers (limit, remaining, reset, retry-after)
   * @param guessesBefore429 how many guesses were answered (401) before the first 429
   * @param accepted guesses answered 200 (should be 0)
   */
  public record Result(int guesses, Map<Integer, Integer> statuses, Optional<Map<String, String>> first429,
      int guessesBefore429, int accepted) {}

  public Result run(String name, int count, Duration budget) {
    long deadline = System.nanoTime() + budget.toNanos();
    List<ApiProbe.Answer> answers = ApiProbe.list();
    int before429 = -1;
    for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
      byte[] guess = new byte[32];
      random.nextBytes(guess);
      String token = "pt1." + name + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(guess);
      ApiProbe.Answer a = ApiProbe.send(ApiProbe.request(apiUrl + "/v1/status").header("Authorization", "Bearer "
          + token).GET());
      if (a.status() == 429 && before429 < 0) {
        before429 = i;
      }
      answers.add(a);
    }
    return new Result(answers.size(), ApiProbe.count(answers), ApiProbe.first(answers, 429).map(ApiProbe.Answer::rateLimit),
        Math.max(before429, 0), (int) answers.stream().filter(a -> a.status() == 200).count());
  }
}
