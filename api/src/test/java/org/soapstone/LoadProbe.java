package org.soapstone;

import org.soapstone.engine.calculator.Calculator;
import org.soapstone.engine.structure.Crystal;

/** A library user's program: loads its arguments with {@link Soapstone#load} and prints the energy of diamond Si. */
public final class LoadProbe {
    private LoadProbe() {}

    public static void main(String[] args) throws Exception {
        Calculator calc = Soapstone.load(args);
        System.out.println(calc.calculate(Crystal.diamond(14, 5.431, 1)).energy);
    }
}
