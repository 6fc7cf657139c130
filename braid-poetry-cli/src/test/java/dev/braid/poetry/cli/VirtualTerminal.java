package dev.braid.poetry.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Just enough of a terminal (xterm's behaviour) to see what a user sees of {@link ProgressDisplay}:
 * a screen of rows {@link #width} columns wide, growing downwards, with line wrapping (on unless
 * turned off with {@code ESC[?7l}), {@code \r}, {@code \n} (as the tty's ONLCR makes it: to the
 * start of the next row), cursor up ({@code ESC[nA}), erase line ({@code ESC[2K}) and erase below
 * ({@code ESC[J}). It keeps a snapshot of the screen before each cursor-up: the moment the display
 * has finished a frame and goes back to redraw or erase it.
 */
final class VirtualTerminal {
  final int width;
  private final List<StringBuilder> rows = new ArrayList<>();
  private final List<List<String>> frames = new ArrayList<>();
  private int row;
  private int col;
  private boolean wrap = true;
  private boolean pendingWrap;

  VirtualTerminal(int width) {
    this.width = width;
    rows.add(new StringBuilder());
  }

  /** Feeds what the program wrote. */
  VirtualTerminal write(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\u001b' && i + 1 < text.length() && text.charAt(i + 1) == '[') {
        int end = i + 2;
        while (end < text.length() && !Character.isLetter(text.charAt(end))) {
          end++;
        }
        control(text.substring(i + 2, end), text.charAt(end));
        i = end;
      } else if (c == '\r') {
        col = 0;
        pendingWrap = false;
      } else if (c == '\n') {
        moveTo(row + 1);
        col = 0;
      } else {
        print(c);
      }
    }
    return this;
  }

  private void control(String args, char command) {
    switch (command) {
      case 'A' -> {
        frames.add(screen());
        int n = args.isEmpty() ? 1 : Integer.parseInt(args);
        row = Math.max(0, row - n);
        pendingWrap = false;
      }
      case 'K' -> rows.get(row).setLength(0); // 2K: the whole row
      case 'J' -> {
        StringBuilder r = rows.get(row);
        r.setLength(Math.min(r.length(), col));
        while (rows.size() > row + 1) {
          rows.remove(rows.size() - 1);
        }
      }
      case 'l' -> wrap = !args.equals("?7") && wrap;
      case 'h' -> wrap = args.equals("?7") || wrap;
      default -> throw new AssertionError("unexpected control sequence ESC[" + args + command);
    }
  }

  private void print(char c) {
    if (pendingWrap) {
      moveTo(row + 1);
      col = 0;
      pendingWrap = false;
    }
    StringBuilder r = rows.get(row);
    while (r.length() < col) {
      r.append(' ');
    }
    if (col < r.length()) {
      r.setCharAt(col, c);
    } else {
      r.append(c);
    }
    if (col < width - 1) {
      col++;
    } else if (wrap) {
      pendingWrap = true;
    }
  }

  private void moveTo(int newRow) {
    row = newRow;
    while (rows.size() <= row) {
      rows.add(new StringBuilder());
    }
  }

  /** The screen's rows now, trailing empty rows left out. */
  List<String> screen() {
    List<String> s = new ArrayList<>();
    for (StringBuilder r : rows) {
      s.add(r.toString());
    }
    while (!s.isEmpty() && s.get(s.size() - 1).isEmpty()) {
      s.remove(s.size() - 1);
    }
    return s;
  }

  /** The screen before each cursor-up, in order: each frame the display drew, whole. */
  List<List<String>> frames() {
    return frames;
  }
}
