package io.pigsty.offline.deb;
import io.pigsty.offline.pkg.*;
import java.nio.file.*;
import java.util.*;
public class ParseMain { public static void main(String[] a) throws Exception {
  Repo r = new Repo("d", 99, List.of("http://x/"));
  Path f = Path.of(a[0]);
  for (int i = 0; i < 5; i++) {
    long t = System.nanoTime();
    List<io.pigsty.offline.pkg.Package> p = PackagesFile.read(f, f.getFileName().toString(), r, "x");
    double s = (System.nanoTime() - t) / 1e9;
    System.out.printf("%d pkgs %.3fs %.0f/s first=%s last=%s%n", p.size(), s, p.size() / s, p.get(0).nevra(), p.get(p.size()-1).nevra());
  }
} }
