// Run by bin/pier with the JDK's source launcher (JDK 24+: the ClassFile API, java.lang.classfile):
//   java bin/lib/ClassFileUpgrade.java CLASSPATH_FILE OUT_DIR OUT_CLASSPATH_FILE
// Reads a class path (one line, ':'-separated), writes a copy of every jar that holds class files older than
// version 50 (Java 5's and earlier: picocli 4.7's are Java 5's) into OUT_DIR with those classes rewritten to
// version 50 and given the StackMapTable frames the ClassFile API computes, and writes the class path with the
// copies in place of the originals to OUT_CLASSPATH_FILE.
// Why: neither class-data archive keeps an old class linked (a dynamic AppCDS archive keeps it only unlinked, JDK
// 25's AOT cache not at all), so every `pier serve` loaded, parsed and verified picocli's classes from its jar with
// the old inferencing verifier, on the main thread (docs/benchmarks.md, "Cold start", third round). Version 50
// classes with frames are archived linked. Version 50 rather than newer: a class of version 50 whose frames the
// JVM rejected would still fall back to the old verifier (its fail-over for class files before version 51), not
// fail to load.
// A class the ClassFile API cannot rewrite, or whose rewritten form its own verifier rejects, is kept as it was.
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

public class ClassFileUpgrade {
    static final int OLDEST_LINKABLE = 50;

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: ClassFileUpgrade CLASSPATH_FILE OUT_DIR OUT_CLASSPATH_FILE");
            System.exit(2);
        }
        List<String> entries = List.of(Files.readString(Path.of(args[0])).strip().split(":"));
        Path outDir = Path.of(args[1]);
        Files.createDirectories(outDir);
        ClassFile classFile = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(resolver(entries)));
        List<String> upgraded = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String entry : entries) {
            Path jar = Path.of(entry);
            String name = jar.getFileName().toString();
            Path copy = outDir.resolve(names.add(name) ? name : upgraded.size() + "-" + name);
            upgraded.add(entry.endsWith(".jar") && Files.isRegularFile(jar) && upgradeJar(classFile, jar, copy)
                    ? copy.toAbsolutePath().toString()
                    : entry);
        }
        Path out = Path.of(args[2]);
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        Files.writeString(tmp, String.join(":", upgraded) + "\n");
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Frames need the class hierarchy at branch joins: the JDK's own classes, then the whole class path's. */
    static ClassHierarchyResolver resolver(List<String> entries) throws IOException {
        List<URL> urls = new ArrayList<>();
        for (String entry : entries) {
            urls.add(Path.of(entry).toUri().toURL());
        }
        ClassLoader classPath = new URLClassLoader(urls.toArray(URL[]::new), null);
        return ClassHierarchyResolver.defaultResolver()
                .orElse(ClassHierarchyResolver.ofResourceParsing(classPath))
                .cached();
    }

    /** Writes the upgraded copy of {@code jar} to {@code copy} if it has old classes; says whether it did. */
    static boolean upgradeJar(ClassFile classFile, Path jar, Path copy) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            if (zip.stream().noneMatch(e -> isClass(e) && isOld(read(zip, e)))) {
                return false;
            }
            Path tmp = copy.resolveSibling(copy.getFileName() + ".tmp");
            int rewritten = 0;
            try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
                for (ZipEntry entry : zip.stream().toList()) {
                    byte[] bytes = read(zip, entry);
                    if (isClass(entry) && isOld(bytes)) {
                        byte[] newer = upgradeClass(classFile, bytes);
                        rewritten += newer != bytes ? 1 : 0;
                        bytes = newer;
                    }
                    ZipEntry copied = new ZipEntry(entry.getName());
                    copied.setTime(entry.getTime());
                    out.putNextEntry(copied);
                    out.write(bytes);
                    out.closeEntry();
                }
            }
            Files.move(tmp, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return rewritten > 0;
        }
    }

    static byte[] upgradeClass(ClassFile classFile, byte[] bytes) {
        try {
            ClassModel model = classFile.parse(bytes);
            // every method body is rebuilt (not copied as it was), so the builder computes its frames for the
            // version set at the end
            byte[] newer = classFile.transformClass(
                    model,
                    ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                            .andThen(ClassTransform.endHandler(b -> b.withVersion(OLDEST_LINKABLE, 0))));
            return classFile.verify(newer).isEmpty() ? newer : bytes;
        } catch (IllegalArgumentException | IllegalStateException e) {
            return bytes; // e.g. a class whose hierarchy is not on the class path: the JVM copes as before
        }
    }

    static boolean isClass(ZipEntry entry) {
        String name = entry.getName();
        return name.endsWith(".class") && !name.endsWith("module-info.class") && !name.startsWith("META-INF/");
    }

    /** Major version below 50 (bytes 6-7 of a class file, after the magic number and the minor version). */
    static boolean isOld(byte[] bytes) {
        return bytes.length >= 8 && (((bytes[6] & 0xff) << 8) | (bytes[7] & 0xff)) < OLDEST_LINKABLE;
    }

    static byte[] read(ZipFile zip, ZipEntry entry) {
        try (var in = zip.getInputStream(entry)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
