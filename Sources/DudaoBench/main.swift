// `make bench` entry point: `DudaoBench [COUNT]` benchmarks the planner;
// `DudaoBench delivery …` is one contender of Benchmarks/delivery_bench.py.
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "delivery" {
    deliveryBench(Array(arguments.dropFirst()))
} else {
    plannerBench(count: arguments.first.flatMap(Int.init) ?? 100_000)
}
