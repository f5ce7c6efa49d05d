package io.pharos.chaos.crash;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A random schedule of controller crashes, freezes and partitions while regions fail and recover,
 * all from one seed. Controller faults do not overlap each other (so a majority usually remains;
 * with {@code overlap} they may, to also cover a lost majority); app faults may overlap anything.
 */
public record CrashSchedule(long seed, long lengthMs, List<Op> ops) {
  public static CrashSchedule random(long seed, List<String> regions, long lengthMs) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Op> ops = new ArrayList<>();
    boolean overlap = r.nextInt(5) == 0;
    long controllerFree = 0;
    int controllerOps = 1 + r.nextInt(3);
    for (int i = 0; i < controllerOps; i++) {
      long at = Math.max(controllerFree, r.nextLong(lengthMs - 6_000));
      if (at > lengthMs - 6_000) {
        break;
      }
      long duration = 3_000 + r.nextLong(7_000);
      Op.Kind kind = List.of(Op.Kind.KILL_CONTROLLER, Op.Kind.FREEZE_CONTROLLER, Op.Kind.PARTITION_CONTROLLER)
          .get(r.nextInt(3));
      ops.add(new Op(kind, regions.get(r.nextInt(regions.size())), at, duration));
      controllerFree = overlap ? at + 1_000 : at + duration + 1_000;
    }
    int appOps = 1 + r.nextInt(2);
    for (int i = 0; i < appOps; i++) {
      long at = r.nextLong(lengthMs - 8_000);
      ops.add(new Op(Op.Kind.KILL_APP, regions.get(r.nextInt(regions.size())), at, 5_000 + r.nextLong(8_000)));
    }
    ops.sort(Comparator.comparingLong(Op::at));
    return new CrashSchedule(seed, lengthMs, List.copyOf(ops));
  }
}
