package io.microgpt.cli.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.cli.Main;
import io.microgpt.core.MicrogptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

class GridFileTest {
    @TempDir
    Path tmp;

    /** train's options, as the sweep sees them: from the CLI's own command tree. */
    static TrainFlags trainFlags() {
        CommandSpec train = new CommandLine(Main.class).getSubcommands().get("train").getCommandSpec();
        return new TrainFlags(train);
    }

    @Test
    void oneFlagALineCommentsAndSpacesInValues() throws Exception {
        Path grid = tmp.resolve("grid.txt");
        Files.writeString(grid, "# a grid\n\n--n-embd 16, 32\n--steps=200\n--data my texts/names.txt\n  --layout   lines  \n");
        List<Setting> settings = GridFile.read(grid, trainFlags());
        assertEquals(List.of(new Setting("--n-embd", List.of("16", "32")), new Setting("--steps", List.of("200")),
                new Setting("--data", List.of("my texts/names.txt")), new Setting("--layout", List.of("lines"))), settings);
    }

    @Test
    void mistakesNameTheLine() throws Exception {
        Path grid = tmp.resolve("grid.txt");
        Files.writeString(grid, "--lr 0.1,0.2\n--nope 3\n");
        MicrogptException e = assertThrows(MicrogptException.class, () -> GridFile.read(grid, trainFlags()));
        assertTrue(e.getMessage().startsWith(grid + " line 2: unknown option '--nope'"), e.getMessage());
        Files.writeString(grid, "--lr 0.1\n--lr 0.2\n");
        e = assertThrows(MicrogptException.class, () -> GridFile.read(grid, trainFlags()));
        assertTrue(e.getMessage().startsWith("--lr is given twice"), e.getMessage());
    }

    @Test
    void aFlagOnTheCommandLineAndInTheFileIsRefused() throws Exception {
        Path grid = tmp.resolve("grid.txt");
        Files.writeString(grid, "--lr 0.1,0.2\n");
        TrainFlags flags = trainFlags();
        MicrogptException e = assertThrows(MicrogptException.class,
                () -> TrainFlags.join(flags.read(List.of("--lr", "0.3"), null), GridFile.read(grid, flags), "--grid " + grid));
        assertEquals("--lr is given twice (and in --grid " + grid + "): give its values once, comma-separated (e.g. --lr A,B)", e.getMessage());
    }

    @Test
    void aGridThatIsNotASmallTextFileIsRefusedWithItsFlag() throws Exception {
        Path missing = tmp.resolve("none.txt");
        MicrogptException e = assertThrows(MicrogptException.class, () -> GridFile.read(missing, trainFlags()));
        assertEquals("--grid " + missing + " does not exist", e.getMessage());
        e = assertThrows(MicrogptException.class, () -> GridFile.read(tmp, trainFlags()));
        assertEquals("--grid " + tmp + " is a folder, not a file", e.getMessage());
        Path latin1 = Files.write(tmp.resolve("latin1.txt"), new byte[] {'-', '-', 'l', 'r', ' ', (byte) 0xE9});
        e = assertThrows(MicrogptException.class, () -> GridFile.read(latin1, trainFlags()));
        assertEquals("--grid " + latin1 + " is not valid UTF-8", e.getMessage());
        Path large = Files.write(tmp.resolve("large.txt"), new byte[(int) GridFile.MAX_BYTES + 1]);
        e = assertThrows(MicrogptException.class, () -> GridFile.read(large, trainFlags()));
        assertEquals("--grid " + large + " is larger than 1.0 MB: a grid file has one flag a line", e.getMessage());
    }

    @Test
    void linesEndInAnyOfTheUsualWays() throws Exception {
        Path grid = tmp.resolve("grid.txt");
        Files.writeString(grid, "--lr 0.1,0.2\r\n--steps 5\r--seed 1\n");
        assertEquals(List.of(new Setting("--lr", List.of("0.1", "0.2")), new Setting("--steps", List.of("5")),
                new Setting("--seed", List.of("1"))), GridFile.read(grid, trainFlags()));
    }
}
