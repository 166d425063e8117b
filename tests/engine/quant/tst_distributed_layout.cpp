// Who does what in a distributed compression run, and the c10d group itself (two ranks as threads).
#include "engine/api/engine_error.h"
#include "engine/dist/process_group.h"
#include "engine/quant/distributed_compression.h"

#include <QtTest/QtTest>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <thread>

using namespace aqlm;

namespace {

// A Llama block's seven linears (q k v o gate up down) with dim 256, hidden 688.
const std::vector<int64_t> kBlock = {256 * 256, 256 * 256, 256 * 256, 256 * 256, 688 * 256, 688 * 256, 256 * 688};

int freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
}

DistributedOptions rankOptions(int port, int rank, int worldSize) {
    DistributedOptions o;
    o.store = "127.0.0.1:" + std::to_string(port);
    o.rank = rank;
    o.worldSize = worldSize;
    o.timeout = std::chrono::seconds(30);
    return o;
}

}  // namespace

class TestDistributedLayout : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void oneRankTakesEveryLayer() {
        QCOMPARE(assignLayersLargestFirst(kBlock, 1), std::vector<int>(7, 0));
    }

    void largestFirstBalancesTwoRanks() {
        const std::vector<int> owners = assignLayersLargestFirst(kBlock, 2);
        // The three MLP layers first: gate to 0, up to 1, down to 0; then the attention layers fill rank 1.
        QCOMPARE(owners, (std::vector<int>{1, 1, 1, 0, 0, 1, 0}));
        int64_t load[2] = {0, 0};
        for (size_t i = 0; i < owners.size(); ++i) load[owners[i]] += kBlock[i];
        QVERIFY(std::abs(load[0] - load[1]) <= *std::max_element(kBlock.begin(), kBlock.end()));
    }

    void moreRanksThanLayersGiveEachLayerItsOwnRank() {
        std::vector<int> owners = assignLayersLargestFirst(kBlock, 9);
        std::sort(owners.begin(), owners.end());
        QVERIFY(std::adjacent_find(owners.begin(), owners.end()) == owners.end());
        QVERIFY(owners.back() < 9);
    }

    void batchesGoRoundRobin() {
        QCOMPARE(batchOwner(0, 2), 0);
        QCOMPARE(batchOwner(3, 2), 1);
        QCOMPARE(batchOwner(4, 3), 1);
    }

    void storeAddressesAreChecked() {
        QCOMPARE(parseStoreAddress("10.0.0.1:29500"), std::make_pair(std::string("10.0.0.1"), uint16_t(29500)));
        QVERIFY_THROWS_EXCEPTION(EngineError, parseStoreAddress("10.0.0.1"));
        QVERIFY_THROWS_EXCEPTION(EngineError, parseStoreAddress("host:70000"));
        QVERIFY_THROWS_EXCEPTION(EngineError, parseStoreAddress(":29500"));
    }

    // Two ranks as threads of this process: all-reduce, broadcast of a tensor only the root knows, text.
    void twoRanksShareTensors() {
        const int port = freePort();
        std::vector<double> sums(2);
        std::vector<at::Tensor> received(2);
        std::vector<std::string> texts(2), errors(2);
        auto rankMain = [&](int rank) {
            try {
                auto group = connectProcessGroup(rankOptions(port, rank, 2));
                at::Tensor t = at::full({3}, double(rank + 1), at::kDouble);
                group->allreduceSum(t);
                sums[size_t(rank)] = t.sum().item<double>();
                received[size_t(rank)] = broadcastTensor(*group, rank == 1 ? at::arange(6, at::kInt).view({2, 3}) : at::Tensor(), 1);
                texts[size_t(rank)] = broadcastText(*group, rank == 0 ? "from rank 0" : "", 0);
                group->barrier();
            } catch (const std::exception& e) {
                errors[size_t(rank)] = e.what();
            }
        };
        std::thread other(rankMain, 1);
        rankMain(0);
        other.join();
        QVERIFY2(errors[0].empty() && errors[1].empty(), (errors[0] + " | " + errors[1]).c_str());
        for (int r = 0; r < 2; ++r) {
            QCOMPARE(sums[size_t(r)], 9.0);  // (1 + 2) * 3
            QCOMPARE(received[size_t(r)].sizes().vec(), (std::vector<int64_t>{2, 3}));
            QCOMPARE(received[size_t(r)].scalar_type(), at::kInt);
            QVERIFY(at::equal(received[size_t(r)], at::arange(6, at::kInt).view({2, 3})));
            QCOMPARE(texts[size_t(r)], std::string("from rank 0"));
        }
    }

    // A rank that leaves (its group destroyed: sockets closed) fails the other's next collective
    // with an EngineError long before the 30 s timeout.
    void aRankThatLeavesFailsTheOthersCollective() {
        const int port = freePort();
        std::string error;
        std::thread other([&] {
            auto group = connectProcessGroup(rankOptions(port, 1, 2));
            group->barrier();
        });  // then its group is destroyed
        auto group = connectProcessGroup(rankOptions(port, 0, 2));
        group->barrier();
        other.join();
        at::Tensor t = at::ones({4}, at::kDouble);
        try {
            group->allreduceSum(t);
        } catch (const EngineError& e) {
            error = e.what();
        }
        QVERIFY2(error.find("another rank stopped") != std::string::npos, error.c_str());
    }
};

QTEST_GUILESS_MAIN(TestDistributedLayout)
#include "tst_distributed_layout.moc"
