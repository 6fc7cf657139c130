package dev.braid.defer;

import java.util.ArrayDeque;

/**
 * A queue whose {@link #get()} returns a Deferred, fired when an item is there: Twisted's {@code
 * DeferredQueue}. Producers {@link #put} items; each item goes to the getter that has waited
 * longest, or waits in the queue for the next getter.
 *
 * <pre>{@code
 * DeferredQueue<String> lines = DeferredQueue.unbounded();
 * lines.get().addCallback(line -> handle(line)); // fires when the first line is put
 * lines.put("hello");
 * }</pre>
 *
 * <h2>Limits</h2>
 *
 * A queue may limit its <em>size</em>, the number of items waiting for a getter ({@link #put}
 * beyond it throws {@link QueueOverflowException}), and its <em>backlog</em>, the number of getters
 * waiting for an item ({@link #get} beyond it throws {@link QueueUnderflowException}). A limit of 0
 * refuses every such item or getter; {@link #UNLIMITED} means no limit (Twisted's {@code None}).
 *
 * <p>Items may be null. They must not be Deferreds (a Deferred cannot be fired with a Deferred).
 *
 * <p>Threading: not thread-safe; use it on the thread that owns its Deferreds (the reactor thread).
 * A {@link #put} that hands an item to a waiting getter runs that getter's callbacks inside the
 * call.
 *
 * @param <T> the type of its items
 */
public final class DeferredQueue<T> {
  /** The limit that means "no limit", for {@link #bounded}. */
  public static final int UNLIMITED = Integer.MAX_VALUE;

  /** Stands for a null item in {@link #pending}, which cannot hold null. */
  private static final Object NULL_ITEM = new Object();

  private final WaitQueue<T> waiting = new WaitQueue<>();
  private final ArrayDeque<Object> pending = new ArrayDeque<>();
  private final int size;
  private final int backlog;

  private DeferredQueue(int size, int backlog) {
    this.size = size;
    this.backlog = backlog;
  }

  /**
   * Creates a queue with no limits.
   *
   * @param <T> the type of its items
   * @return a new, empty queue
   */
  public static <T> DeferredQueue<T> unbounded() {
    return new DeferredQueue<>(UNLIMITED, UNLIMITED);
  }

  /**
   * Creates a queue with limits; pass {@link #UNLIMITED} for a limit you do not want.
   *
   * @param size how many items may wait for a getter
   * @param backlog how many getters may wait for an item
   * @param <T> the type of its items
   * @return a new, empty queue
   * @throws IllegalArgumentException if a limit is negative
   */
  public static <T> DeferredQueue<T> bounded(int size, int backlog) {
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative: " + size);
    }
    if (backlog < 0) {
      throw new IllegalArgumentException("backlog must not be negative: " + backlog);
    }
    return new DeferredQueue<>(size, backlog);
  }

  /**
   * Adds an item: the getter that has waited longest receives it at once (its callbacks run inside
   * this call); if none waits, the item waits in the queue.
   *
   * @param item the item; may be null
   * @throws QueueOverflowException if no getter waits and the queue already holds its size
   * @throws IllegalArgumentException if {@code item} is a Deferred
   */
  public void put(T item) {
    if (item instanceof Deferred) {
      throw new IllegalArgumentException("a DeferredQueue item cannot be a Deferred: " + item);
    }
    Deferred<T> getter = waiting.poll();
    if (getter != null) {
      getter.callback(item);
    } else if (pending.size() < size) {
      pending.addLast(item == null ? NULL_ITEM : item);
    } else {
      throw new QueueOverflowException(
          "DeferredQueue is full: it already holds its size of " + size + " items");
    }
  }

  /**
   * Asks for the next item. If one is waiting, the returned Deferred has already fired with it;
   * otherwise it fires when an item is {@link #put}. Cancelling a Deferred that still waits
   * withdraws it (it fails with {@link CancelledException}) and no item is lost.
   *
   * @return a Deferred of the next item
   * @throws QueueUnderflowException if the queue is empty and its backlog of getters is full
   */
  public Deferred<T> get() {
    if (!pending.isEmpty()) {
      Object item = pending.removeFirst();
      @SuppressWarnings("unchecked")
      T value = item == NULL_ITEM ? null : (T) item;
      return Deferred.succeed(value);
    }
    if (waiting.size() < backlog) {
      return waiting.add();
    }
    throw new QueueUnderflowException(
        "DeferredQueue is empty and its backlog of " + backlog + " waiting getters is full");
  }

  /** {@return how many items wait for a getter: put and not yet taken} */
  public int pendingCount() {
    return pending.size();
  }

  /** {@return how many getters wait for an item: unfired {@link #get()} Deferreds not cancelled} */
  public int waitingCount() {
    return waiting.size();
  }

  /** {@return a short description of the queue: items pending, getters waiting, and limits} */
  @Override
  public String toString() {
    return "DeferredQueue{pending="
        + pending.size()
        + ", waiting="
        + waiting.size()
        + (size == UNLIMITED ? "" : ", size=" + size)
        + (backlog == UNLIMITED ? "" : ", backlog=" + backlog)
        + "}";
  }
}
