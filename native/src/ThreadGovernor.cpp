#include "ThreadGovernor.h"

#include "Platform.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#ifdef __linux__
#include <sched.h>
#include <unistd.h>
#endif

namespace {

constexpr double windowSeconds = 1.0;

} // namespace

ThreadGovernor::ThreadGovernor(int maxThreads, bool adaptive) : max_(std::max(1, maxThreads)), current_(max_), adaptive_(adaptive && max_ > 1) {
#ifdef __linux__
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) == 0)
        for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
            if (CPU_ISSET(cpu, &set))
                cpus_.push_back(cpu);
#endif
    cores_ = int(cpus_.size());
    // without per-CPU counters (not Linux) the count stays fixed
    if (cores_ == 0 || !readSample(last_))
        adaptive_ = false;
}

bool ThreadGovernor::readSample(Sample& sample) const {
#ifndef __linux__
    (void)sample;
    return false;
#else
    std::ifstream stat("/proc/stat");
    if (!stat)
        return false;
    const double tick = double(sysconf(_SC_CLK_TCK));
    std::string line;
    double busy = 0;
    int found = 0;
    while (std::getline(stat, line)) {
        // "cpuN user nice system idle iowait irq softirq steal …"; the aggregate "cpu " line is skipped
        if (line.rfind("cpu", 0) != 0 || line.size() < 4 || line[3] < '0' || line[3] > '9')
            continue;
        std::istringstream fields(line.substr(3));
        int cpu = -1;
        uint64_t user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
        fields >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
        if (!std::binary_search(cpus_.begin(), cpus_.end(), cpu))
            continue;
        // steal: time the hypervisor gave to other guests, as unavailable to us as another process's
        busy += double(user + nice + system + irq + softirq + steal) / tick;
        ++found;
    }
    if (found == 0)
        return false;
    sample.at = std::chrono::steady_clock::now();
    sample.busySeconds = busy;
    sample.selfSeconds = getCpuSeconds();
    return true;
#endif
}

int ThreadGovernor::next() {
    if (!adaptive_)
        return current_;
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - last_.at).count();
    if (wall < windowSeconds)
        return current_;
    Sample now;
    if (!readSample(now))
        return current_;
    const double other = std::max(0.0, (now.busySeconds - last_.busySeconds) - (now.selfSeconds - last_.selfSeconds)) / wall;
    last_ = now;
    otherBusy_ = other;
    // A core counts as free when other processes use less than half of it.
    const int free = int(std::floor(double(cores_) - other + 0.5));
    current_ = std::clamp(free, 1, max_);
    return current_;
}
