/* Stand-in for zn-ladder.exe in the installer check under Wine (packaging/windows_check.sh).
 *
 * The Linux bundle has no Windows executable, yet the installer runs `zn-ladder.exe config import FILE`
 * at install time: this program takes its place and records how it was called, so that the check can
 * compare the arguments the real app would see (parsed by the C runtime, as Python's sys.argv is) with
 * the desk file that was passed to the setup. Built with Debian's mingw-w64.
 *
 * ZN_STUB_LOG  Windows path of a file to append one record to per call (UTF-8):
 *              "CALL\n", then "ARG\t<argument>\n" for each argv[1..], then "END\n".
 * ZN_STUB_EXIT exit code to return (default 0), to exercise the installer's failure path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>
#include <windows.h>

static void write_utf8(FILE *out, const wchar_t *text) {
    int size = WideCharToMultiByte(CP_UTF8, 0, text, -1, NULL, 0, NULL, NULL);
    char *buffer = malloc(size > 0 ? size : 1);
    if (buffer == NULL) return;
    if (WideCharToMultiByte(CP_UTF8, 0, text, -1, buffer, size, NULL, NULL) > 0) fputs(buffer, out);
    free(buffer);
}

int wmain(int argc, wchar_t **argv) {
    const wchar_t *log_path = _wgetenv(L"ZN_STUB_LOG");
    const wchar_t *exit_text = _wgetenv(L"ZN_STUB_EXIT");
    if (log_path != NULL && log_path[0] != L'\0') {
        FILE *out = _wfopen(log_path, L"ab");
        if (out == NULL) return 97;
        fputs("CALL\n", out);
        for (int i = 1; i < argc; i++) {
            fputs("ARG\t", out);
            write_utf8(out, argv[i]);
            fputs("\n", out);
        }
        fputs("END\n", out);
        fclose(out);
    }
    return exit_text != NULL ? _wtoi(exit_text) : 0;
}
