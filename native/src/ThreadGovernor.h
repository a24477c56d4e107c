// Picks the CPU thread count for each training step from the cores other processes leave free.
//
// ggml's CPU workers meet at a spinning barrier after every graph node (thousands per step) and
// never yield. With as many workers as cores and another process busy on one of them, each barrier
// waits for a descheduled worker's next time slice: on 2 cores with one kept busy, 2 threads fell
// from 158 to 10 tokens/s, where 1 thread keeps most of a core's speed. So the trainer measures,
// over windows of at least a second, how much CPU time other processes take on the cores it may run
// on (/proc/stat minus its own getrusage time) and runs with the free cores, between 1 and the
// requested count; it goes back up as soon as the other work stops. The thread count does not
// change the trained weights (ggml splits every gradient computation by output rows), only the last
// bits of the reported loss (a per-thread partial sum).
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

class ThreadGovernor {
public:
    // `maxThreads`: the job's thread count. `adaptive` false keeps it fixed.
    ThreadGovernor(int maxThreads, bool adaptive);

    // The thread count for the next step. Cheap: reads /proc/stat at most once a second.
    int next();

    int current() const { return current_; }
    // Cores busy with other processes over the last window (for the progress event), -1 before the first.
    double otherBusyCores() const { return otherBusy_; }

private:
    struct Sample {
        std::chrono::steady_clock::time_point at;
        double busySeconds = 0; // all processes, on the cores in our affinity mask
        double selfSeconds = 0; // this process
    };
    bool readSample(Sample& sample) const;

    int max_;
    int current_;
    bool adaptive_;
    int cores_ = 0;
    std::vector<int> cpus_; // the CPUs this process may run on
    Sample last_;
    double otherBusy_ = -1;
};
