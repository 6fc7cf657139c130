package dev.braid.defer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeferredSmokeTest {
  @Test
  void stealAndWaitLeaveNullInInner() {
    List<Object> log = new ArrayList<>();
    Object r = new Object();
    Deferred<Object> a = Deferred.create();
    Deferred<Object> b = Deferred.create();
    b.addCallback(x -> a);
    b.callback(null);
    a.addCallback(x -> log.add(List.of("a", String.valueOf(x))));
    b.addCallback(x -> log.add(List.of("b", x)));
    a.callback(r);
    assertThat(log).containsExactly(List.of("b", r), List.of("a", "null"));
  }

  @Test
  void millionNestedTopDown() {
    int n = 1_000_000;
    List<Deferred<Object>> ds = new ArrayList<>(n);
    for (int i = 0; i < n; i++) ds.add(Deferred.create());
    for (int i = 0; i < n - 1; i++) {
      Deferred<Object> next = ds.get(i + 1);
      ds.get(i).addCallback(x -> next);
    }
    List<Object> log = new ArrayList<>();
    ds.get(0).addCallback(log::add);
    for (int i = 0; i < n - 1; i++) ds.get(i).callback(null);
    ds.get(n - 1).callback("bottom");
    assertThat(log).containsExactly("bottom");
  }
}
