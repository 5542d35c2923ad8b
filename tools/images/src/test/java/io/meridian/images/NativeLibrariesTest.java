package io.meridian.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NativeLibrariesTest {

    @Test
    void readsFoundLibrariesTheLoaderAndMissingNamesFromLdd() {
        String ldd = """
                	linux-vdso.so.1 (0x00007ffc4a7e5000)
                	libjli.so => /work/rt/bin/../lib/libjli.so (0x00007f0c1c5d0000)
                	libjvm.so => not found
                	libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0c1c3ef000)
                	/lib64/ld-linux-x86-64.so.2 (0x00007f0c1c5f1000)
                """;

        NativeLibraries.Resolution resolution = NativeLibraries.parse(ldd);

        assertThat(resolution.found())
                .containsExactlyInAnyOrder(
                        Path.of("/work/rt/lib/libjli.so"),
                        Path.of("/lib/x86_64-linux-gnu/libc.so.6"),
                        Path.of("/lib64/ld-linux-x86-64.so.2"));
        assertThat(resolution.missing()).containsExactly("libjvm.so");
    }

    @Test
    void aStaticFileNeedsNothing() {
        assertThat(NativeLibraries.parse("\tnot a dynamic executable\n").found())
                .isEmpty();
        assertThat(NativeLibraries.parse("\tstatically linked\n").found()).isEmpty();
    }
}
