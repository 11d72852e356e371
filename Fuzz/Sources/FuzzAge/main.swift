import FuzzDriver

runFuzzer(fuzzAge)
