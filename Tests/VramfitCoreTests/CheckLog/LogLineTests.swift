import Testing
@testable import VramfitCore

/// The byte-level reading every parser relies on: line cleaning, numbers, units, key=value.
@Suite struct LogLineTests {
    func line(_ s: String) -> LogLine { LogLine.lines(of: s)[0] }

    @Test func crlfLoneCRAndANSIAreCleaned() {
        let lines = LogLine.lines(of: "a\r\n\u{1B}[32mINFO\u{1B}[0m b\rc\n\td")
        #expect(lines.map(\.text) == ["a", "INFO b", "c", "d"])
        #expect(lines.map(\.number) == [1, 2, 3, 4])
    }

    @Test func controlBytesBecomeSpaces() {
        #expect(line("x\u{0}y\u{7F}z").text == "x y z")
    }

    @Test func thousandsCommasOnlyBetweenDigitGroups() {
        #expect(line("GPU KV cache size: 158,656 tokens").number(after: "size: ") == 158_656)
        #expect(line("1,234,567.5x").number(at: 0)?.value == 1_234_567.5)
        // "8.23 GB, V size": the comma ends the number; "12,34" is not a thousands group.
        #expect(line("K size: 8.23 GB, V size").number(after: "K size: ") == 8.23)
        #expect(line("n = 12,34").number(after: "n = ") == 12)
        #expect(line("2,048 tokens").number(at: 0)?.value == 2048)
    }

    @Test func exponentsAndSigns() {
        #expect(line("eps = 1.0e-05").number(after: "= ") == 1.0e-05)
        #expect(line("v = -3").number(after: "= ") == -3)
        #expect(line("v = e5").number(after: "= ") == nil)
    }

    /// vLLM V0's "GB" is `/ float(2**30)` (worker/model_runner.py), SGLang's `GB = 1024**3`; a
    /// decimal engine reading keeps 10⁹.
    @Test func unitsWithBinaryAndDecimalGB() throws {
        let l = line("took 14.9888 GB and 0.58 MiB, 23.58GiB; 180.00 MiB")
        let gb = try #require(l.quantity(after: "took ", gbIsGiB: true))
        #expect(gb.bytes == 14.9888 * 1_073_741_824)
        #expect(gb.rounding == 0.00005 * 1_073_741_824)
        #expect(try #require(l.quantity(after: "took ", gbIsGiB: false)).bytes == 14.9888e9)
        #expect(try #require(l.quantity(after: "and ", gbIsGiB: false)).bytes == 0.58 * 1_048_576)
        #expect(try #require(l.quantity(after: ", ", gbIsGiB: false)).bytes == 23.58 * 1_073_741_824)
        #expect(l.quantity(after: "took ", gbIsGiB: true)?.end == 15)
        // A word that starts like a unit is not one.
        #expect(line("size = 4 Bytes").quantity(after: "= ", gbIsGiB: false) == nil)
        #expect(line("size = 4 B").quantity(after: "= ", gbIsGiB: false)?.bytes == 4)
    }

    @Test func keyValueForms() {
        let l = line("with config: model='Qwen/Qwen2.5-0.5B-Instruct-AWQ', served_model_name=other, dtype=torch.float16, kv_cache_dtype=auto, max_seq_len=512,")
        #expect(l.value(ofKey: "model") == "Qwen/Qwen2.5-0.5B-Instruct-AWQ")
        #expect(l.value(ofKey: "dtype") == "torch.float16")
        #expect(l.value(ofKey: "max_seq_len") == "512")
        let d = line("non-default args: {'model': '/m/x.gguf', 'max_model_len': 16384, 'served_model_name': ['Q'], 'gpu_memory_utilization': 0.79}")
        #expect(d.value(ofKey: "model") == "/m/x.gguf")
        #expect(d.value(ofKey: "max_model_len") == "16384")
        #expect(d.value(ofKey: "gpu_memory_utilization") == "0.79")
        let o = line(#"msg=offload layers.split="" memory.available="[22.0 GiB 22.0 GiB]" layers.model=81"#)
        #expect(o.value(ofKey: "layers.model") == "81")
        #expect(o.value(ofKey: "memory.available") == "[22.0 GiB 22.0 GiB]")
        #expect(o.value(ofKey: "absent") == nil)
    }

    @Test func flagsAndContinuedCommands() {
        let lines = LogLine.lines(of: "vllm serve /m/Qwen3-FP8 \\\n  --tensor-parallel-size 4 \\\n  --max-model-len=8192 --enforce-eager\nnext")
        let cmd = LogLine.command(in: lines, at: 0)
        #expect(cmd.number == 1)
        #expect(cmd.flag("--tensor-parallel-size") == "4")
        #expect(cmd.flag("--max-model-len") == "8192")
        #expect(cmd.hasFlag("--enforce-eager"))
        #expect(!cmd.hasFlag("--enforce"))
        #expect(cmd.flag("--absent") == nil)
        #expect(!cmd.contains("next"))
    }
}
