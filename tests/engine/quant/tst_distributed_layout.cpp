// Who does what in a distributed compression run, the c10d group itself and the fixed-order
// gradient sum of data-parallel fine-tuning (two or three ranks as threads).
#include "engine/api/engine_error.h"
#include "engine/dist/process_group.h"
#include "engine/quant/aqlm_layer_quantizer.h"
#include "engine/quant/distributed_compression.h"
#include "engine/quant/ordered_gradient_sum.h"
#include "engine/quant/row_shards.h"

#include <QtTest/QtTest>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
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

// Parameters, shard inputs and a loss whose gradients need many additions (so the order shows).
struct ShardProblem {
    at::Tensor weight = at::randn({64, 32}, at::TensorOptions().dtype(at::kFloat)).requires_grad_(true);
    at::Tensor bias = at::randn({64}, at::kFloat).to(at::kBFloat16).requires_grad_(true);
    std::vector<at::Tensor> inputs;
    explicit ShardProblem(int64_t shards) {
        for (int64_t s = 0; s < shards; ++s) inputs.push_back(at::randn({16, 32}, at::kFloat) * double(s + 1));
    }
    double shardLoss(int64_t s) const {
        at::Tensor loss = (at::linear(inputs[size_t(s)], weight) + bias.to(at::kFloat)).tanh().pow(2).sum();
        loss.backward();
        return loss.item<double>();
    }
    ShardProblem copy() const {
        ShardProblem c(0);
        c.weight = weight.detach().clone().requires_grad_(true);
        c.bias = bias.detach().clone().requires_grad_(true);
        c.inputs = inputs;
        return c;
    }
};

// A layer whose inputs are correlated (so H couples the groups) and options small enough for a test.
struct LayerCase {
    at::Tensor W, H;
    QuantScheme scheme;
    AqlmLayerOptions options;
};

LayerCase layerCase(int64_t dOut, int64_t dIn, const char* scheme, int beam, CodebookUpdate update) {
    at::manual_seed(11);
    LayerCase c;
    c.W = at::randn({dOut, dIn}, at::kFloat);
    at::Tensor X = at::randn({4 * dIn, dIn}, at::kFloat);
    X = X + 0.5 * X.roll(1, 1);
    c.H = at::mm(X.t(), X) / double(X.size(0));
    c.scheme = QuantScheme::parse(scheme);
    c.options.maxEpochs = 3;
    c.options.relativeTolerance = 0;
    c.options.beamSize = beam;
    c.options.codebookUpdate = update;
    c.options.stepsPerEpoch = 5;
    c.options.solverIterations = 4;
    c.options.seed = 5;
    return c;
}

// Runs rankMain(rank, group) for ranks 0..world-1 as threads joined to one group; returns each rank's
// error message (empty: it finished).
std::vector<std::string> runRanks(int world, const std::function<void(int, ProcessGroup&)>& rankMain) {
    const int port = freePort();
    std::vector<std::string> errors(static_cast<size_t>(world));
    auto run = [&](int rank) {
        try {
            auto group = connectProcessGroup(rankOptions(port, rank, world));
            rankMain(rank, *group);
        } catch (const std::exception& e) {
            errors[size_t(rank)] = e.what();
        }
    };
    std::vector<std::thread> others;
    for (int r = 1; r < world; ++r) others.emplace_back(run, r);
    run(0);
    for (auto& t : others) t.join();
    return errors;
}

// Only says who it is: enough for RowShards to lay out the rows (no collectives are made).
class NamedRank : public ProcessGroup {
public:
    NamedRank(int rank, int worldSize) : m_rank(rank), m_worldSize(worldSize) {}
    int rank() const override { return m_rank; }
    int worldSize() const override { return m_worldSize; }
    void broadcast(at::Tensor&, int) override { throw std::logic_error("no collectives here"); }
    void allreduceSum(at::Tensor&) override { throw std::logic_error("no collectives here"); }
    void barrier() override { throw std::logic_error("no collectives here"); }

private:
    int m_rank, m_worldSize;
};

bool sameResult(const AqlmLayerResult& a, const AqlmLayerResult& b) {
    return at::equal(a.codes, b.codes) && at::equal(a.codebooks, b.codebooks) && at::equal(a.scales, b.scales) &&
           a.objective == b.objective && a.relErrorPerEpoch == b.relErrorPerEpoch && a.epochs == b.epochs;
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

    // The data-parallel step's gradient: shard s on rank s % N, summed in shard order on every rank,
    // bit for bit the one-process sum (5 shards: uneven rounds on 2 and 3 ranks).
    void shardGradientsAreTheOneProcessSumOnEveryRank() {
        at::manual_seed(3);
        const int64_t shards = 5;
        ShardProblem single(shards);
        const auto singleLosses = sumShardGradients({single.weight, single.bias}, shards,
                                                    [&](int64_t s) { return single.shardLoss(s); }, nullptr);
        // Autograd's own accumulation adds in the same order.
        ShardProblem plain = single.copy();
        for (int64_t s = 0; s < shards; ++s) plain.shardLoss(s);
        QVERIFY(at::equal(plain.weight.grad(), single.weight.grad()));
        for (int world : {2, 3}) {
            std::vector<ShardProblem> problems;
            for (int r = 0; r < world; ++r) problems.push_back(single.copy());
            std::vector<std::vector<double>> losses(static_cast<size_t>(world));
            std::vector<int64_t> computed(static_cast<size_t>(world), 0);
            const auto errors = runRanks(world, [&](int rank, ProcessGroup& group) {
                ShardProblem& p = problems[size_t(rank)];
                losses[size_t(rank)] = sumShardGradients({p.weight, p.bias}, shards, [&](int64_t s) {
                    computed[size_t(rank)] += shardOwner(s, world) == rank ? 1 : 1000;
                    return p.shardLoss(s);
                }, &group);
            });
            for (int r = 0; r < world; ++r) {
                QVERIFY2(errors[size_t(r)].empty(), errors[size_t(r)].c_str());
                QCOMPARE(computed[size_t(r)], (shards - r + world - 1) / world);  // its own shards, only
                QVERIFY(at::equal(problems[size_t(r)].weight.grad(), single.weight.grad()));
                QVERIFY(at::equal(problems[size_t(r)].bias.grad(), single.bias.grad()));
                QCOMPARE(problems[size_t(r)].bias.grad().scalar_type(), at::kBFloat16);
                QCOMPARE(losses[size_t(r)], singleLosses);
            }
        }
    }

    void ownedRowsReachEveryRank() {
        const int port = freePort();
        std::vector<at::Tensor> rows(2);
        auto rankMain = [&](int rank) {
            auto group = connectProcessGroup(rankOptions(port, rank, 2));
            at::Tensor t = at::full({5, 2}, -1.0, at::kDouble);  // what a rank does not own is overwritten
            for (int64_t i = rank; i < 5; i += 2) t[i].fill_(0.1 * double(i) + 1e-17);
            shareOwnedRows(group.get(), t);
            rows[size_t(rank)] = t;
        };
        std::thread other(rankMain, 1);
        rankMain(0);
        other.join();
        at::Tensor expected = at::empty({5, 2}, at::kDouble);
        for (int64_t i = 0; i < 5; ++i) expected[i].fill_(0.1 * double(i) + 1e-17);
        QVERIFY(at::equal(rows[0], expected));
        QVERIFY(at::equal(rows[1], expected));
    }

    // Shard boundaries depend on the rows only; each rank owns a contiguous run of them, in rank order.
    void rowShardsAreFixedAndContiguous() {
        for (int64_t rows : {int64_t(1), int64_t(63), int64_t(64), int64_t(300), int64_t(4096), int64_t(11008)}) {
            const RowShards one(rows, nullptr);
            QCOMPARE(one.ownBegin(), int64_t(0));
            QCOMPARE(one.ownEnd(), rows);
            QVERIFY(one.shardCount() >= 1 && one.shardCount() <= 64);
            for (int64_t s = 0; s < one.shardCount(); ++s)
                QVERIFY(rows < 64 || one.shardBegin(s + 1) - one.shardBegin(s) >= 64);
            QCOMPARE(one.shardBegin(one.shardCount()), rows);
        }
        QCOMPARE(RowShards(4096, nullptr).shardCount(), int64_t(64));
        QCOMPARE(RowShards(300, nullptr).shardCount(), int64_t(4));
        // The ranks' rows follow each other in rank order and cover every row once; no rank gets more
        // than one shard above an even share.
        for (int64_t rows : {int64_t(300), int64_t(4096), int64_t(11008)})
            for (int world : {2, 3, 8, 70}) {
                int64_t next = 0, most = 0;
                for (int r = 0; r < world; ++r) {
                    NamedRank who(r, world);
                    const RowShards shards(rows, &who);
                    QCOMPARE(shards.shardCount(), RowShards(rows, nullptr).shardCount());
                    if (shards.ownRows() == 0) continue;
                    QCOMPARE(shards.ownBegin(), next);
                    next = shards.ownEnd();
                    most = std::max(most, shards.ownRows());
                }
                QCOMPARE(next, rows);
                const int64_t shard = rows / RowShards(rows, nullptr).shardCount() + 1;
                QVERIFY(most <= (rows + world - 1) / world + shard);
            }
    }

    // Auto splits rows only where whole layers would leave ranks idle.
    void rowsAreSplitWhereWholeLayersLeaveRanksIdle() {
        const std::vector<int64_t> llama7b = {4096 * 4096, 4096 * 4096, 4096 * 4096, 4096 * 4096,
                                              11008 * 4096, 11008 * 4096, 4096 * 11008};
        QVERIFY(!splitLayersByRows(llama7b, 1, LayerSplit::Rows, QuantMethod::Aqlm));
        QVERIFY(!splitLayersByRows(llama7b, 2, LayerSplit::Auto, QuantMethod::Aqlm));
        QVERIFY(!splitLayersByRows(llama7b, 4, LayerSplit::Auto, QuantMethod::Aqlm));  // busiest 1.22x the mean
        QVERIFY(splitLayersByRows(llama7b, 6, LayerSplit::Auto, QuantMethod::Aqlm));
        QVERIFY(splitLayersByRows(llama7b, 8, LayerSplit::Auto, QuantMethod::Aqlm));
        QVERIFY(splitLayersByRows(llama7b, 2, LayerSplit::Rows, QuantMethod::Aqlm));
        QVERIFY(!splitLayersByRows(llama7b, 8, LayerSplit::Layers, QuantMethod::Aqlm));
        QVERIFY(!splitLayersByRows(llama7b, 8, LayerSplit::Auto, QuantMethod::Gptq));
        QVERIFY_THROWS_EXCEPTION(EngineError, parseLayerSplit("columns"));
    }

    // One layer quantized by 2, 3 and 8 ranks (threads), each its share of the rows: every rank returns
    // the one-process result bit for bit (8 ranks: more ranks than the layer's 4 shards, some own none).
    // Exact and Adam codebook updates, greedy and beam code search.
    void aLayerSplitByRowsIsTheOneProcessLayer() {
        struct Variant {
            const char* scheme;
            int beam;
            CodebookUpdate update;
        };
        for (const Variant& v : {Variant{"2x6g8", 1, CodebookUpdate::Exact}, Variant{"1x8g4", 2, CodebookUpdate::Exact},
                                 Variant{"2x4g8", 1, CodebookUpdate::Adam}}) {
            const LayerCase c = layerCase(300, 64, v.scheme, v.beam, v.update);
            const AqlmLayerResult single = quantizeAqlmLayer(c.W, c.H, c.scheme, c.options);
            QVERIFY(single.relError > 0 && single.relError < 1);
            for (int world : {2, 3, 8}) {
                std::vector<AqlmLayerResult> results(static_cast<size_t>(world));
                const auto errors = runRanks(world, [&](int rank, ProcessGroup& group) {
                    results[size_t(rank)] = quantizeAqlmLayer(c.W, c.H, c.scheme, c.options, {}, nullptr, &group);
                });
                for (int r = 0; r < world; ++r) {
                    QVERIFY2(errors[size_t(r)].empty(), errors[size_t(r)].c_str());
                    QVERIFY2(sameResult(results[size_t(r)], single),
                             (std::string(v.scheme) + " on " + std::to_string(world) + " ranks, rank " + std::to_string(r)).c_str());
                }
            }
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
