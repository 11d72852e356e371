import FuzzDriver

runFuzzer(fuzzKeyFile)
