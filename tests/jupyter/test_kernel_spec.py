"""The jupyter_kernel_test suite against the installed "adagradlab" kernel.

Run through `make test-jupyter`, which builds the binary and installs the
kernelspec into .venv first. Every test the suite has that applies to a Go
kernel is switched on below; pager and the iopub welcome message do not
apply (no pager payloads; protocol 5.3 has no welcome message).
"""

import unittest

import jupyter_kernel_test


class AdagradlabKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "adagradlab"
    language_name = "go"
    file_extension = ".go"

    code_hello_world = 'fmt.Println("hello, world")'
    code_stderr = 'fmt.Fprintln(os.Stderr, "some error")'

    # "fmt" and "os" are imported by the first cell each test class runs.
    completion_samples = [
        {"text": "math.Hypo", "matches": {"Hypot"}},
        {"text": "math.Sqrt", "matches": {"Sqrt", "Sqrt2", "SqrtE", "SqrtPi", "SqrtPhi"}},
        {"text": "strings.HasPre", "matches": {"HasPrefix"}},
    ]
    complete_code_samples = ["x := 1", "func f() int { return 1 }", "η := 0.5"]
    incomplete_code_samples = ["func f() {", "for i := 0; i < 3; i++ {", "x := []int{1,"]
    invalid_code_samples = ["}", "x := 1 1", "func ("[0:0] + ")"]

    code_generate_error = "panic(\"on purpose\")"
    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "math.Sqrt(16)", "result": "4"},
        {"code": 'strings.ToUpper("θ")', "result": "Θ"},
    ]
    code_display_data = [
        {"code": 'display.HTML("<b>hi</b>")', "mime": "text/html"},
        {"code": 'display.Markdown("*η*")', "mime": "text/markdown"},
        {"code": "display.Math(`\\eta_t`)", "mime": "text/latex"},
        {"code": "display.PNG([]byte{0x89, 'P', 'N', 'G'})", "mime": "image/png"},
    ]
    code_history_pattern = "math.Sqrt*"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "math.Sqrt"
    code_clear_output = "display.Clear(false)"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        reply = cls.kc.execute_interactive(
            'import (\n\t"fmt"\n\t"math"\n\t"os"\n\t"strings"\n)', timeout=60
        )
        assert reply["content"]["status"] == "ok", reply["content"]


if __name__ == "__main__":
    unittest.main()
