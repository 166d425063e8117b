// aqlm: command-line front end of the engine (everything the GUI does is scriptable from here).
#include "app/cli/cli_common.h"
#include "app/cli/cmd_finetune.h"
#include "app/cli/cmd_make_synthetic.h"
#include "engine/api/cancel_token.h"
#include "engine/api/engine_error.h"

#include <c10/util/Exception.h>

#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

const char* kUsage = R"(aqlm — compress, run and measure Llama-family models (AQLM Studio engine)

usage: aqlm COMMAND [options]

commands:
  info MODEL [--kernels]           architecture, sizes, parameters, dtype, tokenizer
                                   (--kernels: which AQLM kernel each layer type runs, and why)
  generate MODEL --prompt TEXT     stream a continuation to stdout
      [--max-new-tokens N] [--temperature T] [--top-k K] [--top-p P]
      [--repeat-penalty R] [--seed S] [--no-bos] [--kernel auto|exact|reference]
  perplexity MODEL --data FILE     perplexity on a UTF-8 text file
      [--seq-len L] [--max-windows N] [--batch B] [--kernel auto|exact|reference]
  quantize MODEL --out DIR --scheme MxBgG   compress with AQLM (e.g. 2x8g8, 1x16g8)
      [--calib FILE]... [--nsamples N] [--seq-len L] [--beam-size K] [--max-epochs E]
      [--tolerance T] [--codebook-update exact|adam] [--solver-iterations N]
      [--steps-per-epoch S] [--finetune-epochs F | --no-finetune]
      [--eval-windows W] [--seed S] [--resume] [--quiet]
                                  codebooks/scales per epoch: exact least squares (default,
                                  at most N conjugate-gradient steps) or S Adam steps
      [--activation-memory MIB]   calibration activations kept in memory before they spill
                                  to a scratch file in --out (default: half the free memory)
      [--pv-steps N [--pv-out DIR]]  then PV-Tuning against MODEL on the --calib text,
                                  written to --pv-out (default: DIR-pv)
      [--dist-store HOST:PORT --world-size N --rank R [--backend gloo|nccl]
       [--dist-timeout SECONDS]]  one rank of a run split across processes or machines
                                  (c10d; rank 0 serves the store and writes --out; the others
                                  compute only). tools/launch-local.sh N starts N local ranks
       [--layer-split auto|layers|rows]  whole layers per rank, or every layer's rows shared by
                                  all ranks (auto: rows when whole layers leave ranks idle);
                                  the result is the same either way
  quantize MODEL --out DIR --method rtn|gptq --bits B --group G [--act-order] [--dampening D]
  finetune STUDENT --teacher ORIGINAL --out DIR --data FILE [--data FILE]...
      [--mode pv|global] [--steps N] [--tokens-per-step T] [--seq-len L] [--lr LR]
      [--tau F] [--code-lr LR] [--beam-size K] [--trust-ratio R] [--delta-decay D]
      [--eval-every N] [--eval-windows W] [--validation-fraction F] [--patience P]
      [--train-embeddings] [--kl-chunk TOKENS] [--seed S] [--resume] [--library DB] [--quiet]
                                   whole-model fine-tuning of an AQLM model against its original
                                   (KL per token): global (codes frozen) or PV-Tuning (codes
                                   updated); best held-out state kept, checkpoint at every
                                   evaluation (--resume continues); --library registers the result
                                   as a variant of STUDENT
      [--dist-store HOST:PORT --world-size N --rank R [--backend gloo] [--dist-timeout S]]
                                   data-parallel across processes, the same result as one process
                                   (rank 0 writes --out and the library row)
  bits MODEL --scheme S | --method rtn|gptq --bits B --group G
                                   exact bits/param and predicted bytes before any run
      [--time [quantize options]]  also the run's time on this machine, measured on slices
                                   of each layer width and one block of the model's shape
  bench matvec --rows R --cols C --scheme S [--dtype fp32|bf16|fp16] [--device cpu|cuda]
      [--tokens N] [--repeats K] [--kernel auto|exact|matvec|lut-int16|decode-gemm|reference]
      [--half-path auto|row-pass|tiled-gemm]
                                   median ms of the AQLM kernel vs the dense baseline, same shape
                                   (fp16/bf16 on the CPU: our 16-bit kernel, with fp32 BLAS and
                                   LibTorch's own 16-bit path beside it, GB/s of weight bytes)
  bench generate --synthetic llama2-7b|llama-1b --scheme S [--layers L] [--decode-tokens N]
      [--dense-dtype auto|fp32|fp16|bf16] [--no-dense] [--no-aqlm] [--head-dtype fp16|fp32]
      [--decode-path fused|eager] [--decode-head auto|stored|int8] [--kernel auto|exact|...]
                                   decode tok/s of a random model of that shape, AQLM vs dense
                                   (auto: fp32 where it fits in memory, bf16 otherwise), and the
                                   share of the memory-read bound each reaches (decode head auto:
                                   int8 copy of the classifier for the compressed model)
  make-synthetic --shape llama2-7b|llama3-8b|mistral-7b|tinyllama|tiny --out DIR
      [--layers N] [--dtype fp16|bf16] [--seed S] [--shards K] [--tokenizer FILE] [--scheme S]
                                   a Hugging Face Llama folder of that shape with random weights,
                                   written as a stream (a 13.5 GB 7B folder needs a few MB of memory);
                                   the tokenizer (default: $AQLM_SHARED/models/llama2-tokenizer/
                                   tokenizer.model) sets vocab_size: 32000 for the Llama-2 one, also
                                   for llama3-8b, whose real 128256 needs its own tokenizer
                                   (--scheme 2x8g8: random AQLM codes instead, laid out like a
                                   compressed model)

MODEL is a llama2.c .bin checkpoint (tokenizer found beside it) or a Hugging Face
Llama/Mistral folder (config.json + safetensors + tokenizer.model).

common options:
  --threads N      worker threads (default: all cores)
  --device D       auto (default), cpu or cuda for generate, perplexity and quantize; cuda is
                   refused until those jobs run on the GPU (the AQLM kernels do: bench matvec)
  --tokenizer FILE tokenizer to use instead of the one beside the model
  --json           last stdout line is one JSON object with the results
  --version        print the version
)";

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::cout << kUsage;
        return args.empty() ? 1 : 0;
    }
    if (args[0] == "--version") {
        std::cout << "aqlm " << AQLM_VERSION << std::endl;
        return 0;
    }
    const std::string command = args[0];
    args.erase(args.begin());
    try {
        if (command == "info") return aqlm::cli::runInfo(args);
        if (command == "generate") return aqlm::cli::runGenerate(args);
        if (command == "perplexity") return aqlm::cli::runPerplexity(args);
        if (command == "quantize") return aqlm::cli::runQuantize(args);
        if (command == "finetune") return aqlm::cli::runFinetuneCommand(args);
        if (command == "bits") return aqlm::cli::runBits(args);
        if (command == "bench") return aqlm::cli::runBench(args);
        if (command == "make-synthetic") return aqlm::cli::runMakeSynthetic(args);
        std::cerr << "aqlm: unknown command '" << command << "' (see aqlm --help)\n";
        return 2;
    } catch (const std::invalid_argument& e) {
        std::cerr << "aqlm " << command << ": " << e.what() << "\n";
        return 2;
    } catch (const aqlm::EngineError& e) {
        std::cerr << "aqlm " << command << ": error: " << e.what() << aqlm::cli::flagsForHint(e.what()) << "\n";
        return 1;
    } catch (const aqlm::Cancelled&) {
        std::cerr << "aqlm " << command << ": cancelled\n";
        return 130;
    } catch (const c10::Error& e) {
        std::cerr << "aqlm " << command << ": internal error: " << e.what_without_backtrace() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "aqlm " << command << ": error: " << e.what() << "\n";
        return 1;
    }
}
