{
  "targets": [
    {
      "target_name": "kmeans_native",
      "sources": ["kernels.c"],
      "cflags": ["-O3", "-ffp-contract=off", "-fno-fast-math", "-std=c11"],
      "xcode_settings": { "OTHER_CFLAGS": ["-O3", "-ffp-contract=off", "-fno-fast-math"] },
      "msvs_settings": { "VCCLCompilerTool": { "AdditionalOptions": ["/fp:precise"] } }
    }
  ]
}
