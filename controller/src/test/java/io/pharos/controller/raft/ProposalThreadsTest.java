package io.pharos.controller.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.ControllersConfig;
import io.pharos.core.journal.NotLeaderException;
import io.pharos.core.journal.Proposal;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ADR 0005, amended: a proposal's reply completes on a thread of the journal's own, never on
 * Ratis's StateMachineUpdater (where a callback that proposed the next entry blocked applying,
 * since Ratis's submit joins until the entry is appended), and a failure does too.
 */
class ProposalThreadsTest {
  @TempDir
  Path dir;
  TestGroup group;

  @AfterEach
  void stop() {
    if (group != null) {
      group.close();
    }
  }

  @Test
  void repliesAndFailuresCompleteOnTheJournalsOwnThreads() throws Exception {
    group = new TestGroup(dir.resolve("data"));
    List<ControllerPeer> peers = TestPeers.onFreePorts("t1", "t2", "t3");
    ControllersConfig cfg = TestGroup.config("threads-group", peers, null);
    List<RaftJournal> journals = peers.stream().map(p -> group.start(cfg, p)).toList();
    RaftJournal leader = group.leader();

    // as an operator call's audit record follows its entry: the reply's callback proposes the next one
    CompletableFuture<String> firstReplyThread = new CompletableFuture<>();
    Proposal second = leader.propose(TestGroup.alert(leader, "first")).thenCompose(p -> {
      firstReplyThread.complete(Thread.currentThread().getName());
      return leader.propose(TestGroup.alert(leader, "second"));
    }).get(10, TimeUnit.SECONDS);

    assertThat(second.accepted()).isTrue();
    assertThat(firstReplyThread.get()).startsWith("pharos-raft-reply");

    // a follower's own server refuses the entry: the failure reaches the caller on the same threads
    RaftJournal follower = journals.stream().filter(j -> j != leader).findFirst().orElseThrow();
    CompletableFuture<String> failureThread = new CompletableFuture<>();
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    follower.propose(TestGroup.alert(leader, "on a follower")).whenComplete((p, err) -> {
      failureThread.complete(Thread.currentThread().getName());
      failure.complete(err);
    });

    Throwable err = failure.get(10, TimeUnit.SECONDS);
    assertThat(err).isInstanceOf(CompletionException.class).hasCauseInstanceOf(NotLeaderException.class);
    assertThat(failureThread.get()).startsWith("pharos-raft-reply");
  }
}
