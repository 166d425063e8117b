// Sampler: greedy, top-k, top-p, temperature, repetition penalty, seeded reproducibility.
#include "engine/infer/sampler.h"

#include <QtTest/QtTest>

#include <cmath>
#include <map>

using namespace aqlm;

namespace {

std::vector<float> logitsFromProbs(const std::vector<double>& probs) {
    std::vector<float> l;
    for (double p : probs) l.push_back(static_cast<float>(std::log(p)));
    return l;
}

std::map<int32_t, int> histogram(SamplingParams params, const std::vector<float>& logits, int draws,
                                 const std::vector<int32_t>& history = {}) {
    Sampler sampler(params);
    std::map<int32_t, int> counts;
    for (int i = 0; i < draws; ++i) {
        auto copy = logits;
        ++counts[sampler.sample(copy, history)];
    }
    return counts;
}

}  // namespace

class TestSampler : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void greedyTakesArgmax() {
        Sampler sampler(SamplingParams{});
        std::vector<float> logits{0.1f, 3.0f, -2.0f, 2.9f};
        QCOMPARE(sampler.sample(logits, {}), 1);
    }

    void temperatureSamplingFollowsSoftmax() {
        SamplingParams p;
        p.temperature = 1.0f;
        const std::vector<double> probs{0.5, 0.3, 0.15, 0.05};
        const int draws = 20000;
        auto counts = histogram(p, logitsFromProbs(probs), draws);
        for (size_t i = 0; i < probs.size(); ++i) {
            const double freq = counts[static_cast<int32_t>(i)] / double(draws);
            const double sigma = std::sqrt(probs[i] * (1 - probs[i]) / draws);
            QVERIFY2(std::abs(freq - probs[i]) < 5 * sigma, qPrintable(QString("token %1: %2 vs %3").arg(i).arg(freq).arg(probs[i])));
        }
    }

    void lowTemperatureSharpens() {
        SamplingParams p;
        p.temperature = 0.1f;
        auto counts = histogram(p, logitsFromProbs({0.5, 0.3, 0.2}), 2000);
        QVERIFY(counts[0] > 1900);
    }

    void topKKeepsOnlyKBest() {
        SamplingParams p;
        p.temperature = 1.0f;
        p.topK = 2;
        auto counts = histogram(p, logitsFromProbs({0.1, 0.4, 0.3, 0.2}), 5000);
        QCOMPARE(counts.count(0) + counts.count(3), size_t(0));
        QVERIFY(counts[1] > counts[2]);
    }

    void topPKeepsTheNucleus() {
        SamplingParams p;
        p.temperature = 1.0f;
        p.topP = 0.75f;  // 0.5 + 0.3 crosses 0.75: tokens 0 and 1 only
        auto counts = histogram(p, logitsFromProbs({0.5, 0.3, 0.15, 0.05}), 5000);
        QCOMPARE(counts.count(2) + counts.count(3), size_t(0));
        const double ratio = counts[0] / double(counts[1]);
        QVERIFY(ratio > 1.4 && ratio < 1.95);  // 0.5/0.3 = 1.67
    }

    void repetitionPenaltyDemotesSeenTokens() {
        SamplingParams p;
        p.repeatPenalty = 2.0f;
        Sampler sampler(p);
        std::vector<float> logits{2.0f, 1.5f};
        QCOMPARE(sampler.sample(logits, {0}), 1);  // 2.0 / 2 = 1.0 < 1.5
        std::vector<float> negative{-1.0f, -1.5f};
        QCOMPARE(sampler.sample(negative, {0}), 1);  // -1.0 * 2 = -2.0 < -1.5
        std::vector<float> outOfWindow{2.0f, 1.5f};
        p.repeatLastN = 1;
        Sampler windowed(p);
        QCOMPARE(windowed.sample(outOfWindow, {0, 1}), 0);  // only token 1 is in the window
    }

    void sameSeedSameSamples() {
        SamplingParams p;
        p.temperature = 1.0f;
        p.seed = 1234;
        std::vector<float> logits(50);
        for (size_t i = 0; i < logits.size(); ++i) logits[i] = std::sin(float(i));
        Sampler a(p), b(p);
        p.seed = 4321;
        Sampler c(p);
        bool anyDifferent = false;
        for (int i = 0; i < 100; ++i) {
            auto la = logits, lb = logits, lc = logits;
            const int32_t ta = a.sample(la, {}), tb = b.sample(lb, {}), tc = c.sample(lc, {});
            QCOMPARE(ta, tb);
            anyDifferent = anyDifferent || ta != tc;
        }
        QVERIFY(anyDifferent);
    }

    void uniformFloatsInUnitInterval() {
        SamplingParams p;
        p.seed = 99;
        Sampler s(p);
        double sum = 0;
        for (int i = 0; i < 10000; ++i) {
            const float f = s.nextFloat();
            QVERIFY(f >= 0.0f && f < 1.0f);
            sum += f;
        }
        QVERIFY(std::abs(sum / 10000 - 0.5) < 0.02);
    }
};

QTEST_GUILESS_MAIN(TestSampler)
#include "tst_sampler.moc"
