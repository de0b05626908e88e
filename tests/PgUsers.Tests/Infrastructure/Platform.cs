// These tests start PostgreSQL from Debian's binaries and set Unix file modes: they run on Linux only,
// which keeps a Release build (warnings as errors) free of platform warnings for Unix-only calls.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
