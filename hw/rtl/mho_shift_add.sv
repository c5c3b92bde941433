// Shift-and-add accumulator of an MVM unit.
//
// Each valid cycle adds one partial product of a bit-sliced MVM: the signed code
// of one column read (ADC code, or the difference of a differential pair),
// shifted by the significance of its input bit plane and weight slice, and
// negated for the sign plane of two's-complement inputs. The sum saturates to
// AccW bits; sat_o remembers that it did until the next clear. The reference
// model is mho::isa::shiftAddStep (include/mho/ISA/Arithmetic.h); docs/ISA.md
// states the arithmetic.

module mho_shift_add #(
  parameter int unsigned InW    = 10,
  parameter int unsigned ShiftW = 5,
  parameter int unsigned AccW   = 32
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  input  logic                   valid_i,
  input  logic                   clear_i,
  input  logic                   negate_i,
  input  logic signed [InW-1:0]  code_i,
  input  logic [ShiftW-1:0]      shift_i,
  output logic signed [AccW-1:0] acc_o,
  output logic                   sat_o
);

  // Wide enough for code_i shifted by the largest shift and then negated.
  localparam int unsigned TermW = InW + (1 << ShiftW);
  localparam int unsigned SumW  = (TermW > AccW ? TermW : AccW) + 1;

  localparam logic signed [SumW-1:0] AccMax = {{(SumW - AccW + 1){1'b0}}, {(AccW - 1){1'b1}}};
  localparam logic signed [SumW-1:0] AccMin = ~AccMax;

  logic signed [TermW-1:0] code_ext, term_shl, term;
  logic signed [SumW-1:0]  base, sum;
  logic signed [AccW-1:0]  acc_d, acc_q;
  logic                    sat_d, sat_q, clamp;

  assign code_ext = {{(TermW - InW){code_i[InW-1]}}, code_i};
  assign term_shl = code_ext <<< shift_i;
  assign term     = negate_i ? -term_shl : term_shl;

  assign base  = clear_i ? '0 : {{(SumW - AccW){acc_q[AccW-1]}}, acc_q};
  assign sum   = base + {{(SumW - TermW){term[TermW-1]}}, term};
  assign clamp = valid_i && (sum > AccMax || sum < AccMin);

  always_comb begin
    acc_d = base[AccW-1:0];
    sat_d = clear_i ? 1'b0 : sat_q;
    if (valid_i) begin
      if (sum > AccMax) begin
        acc_d = AccMax[AccW-1:0];
      end else if (sum < AccMin) begin
        acc_d = AccMin[AccW-1:0];
      end else begin
        acc_d = sum[AccW-1:0];
      end
      sat_d = sat_d | clamp;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      acc_q <= '0;
      sat_q <= 1'b0;
    end else begin
      acc_q <= acc_d;
      sat_q <= sat_d;
    end
  end

  assign acc_o = acc_q;
  assign sat_o = sat_q;

endmodule
